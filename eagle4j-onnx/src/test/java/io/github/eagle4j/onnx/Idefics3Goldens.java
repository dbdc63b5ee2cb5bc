package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.image.Idefics3ImageProcessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PyTorch goldens of the tiny Idefics3 fixture ({@code fixtures/goldens/tiny-random-idefics3/family-golden.json},
 * written by {@code fixtures/idefics3.py}) and its model folder.
 */
public final class Idefics3Goldens {
    static final String NAME = "tiny-random-idefics3";
    static final Path DIR = Goldens.GOLDENS.resolve(NAME);
    public static final Path MODEL_DIR = Goldens.REPO.resolve("fixtures/models").resolve(NAME);

    private static JsonNode json;

    private Idefics3Goldens() {
    }

    public static synchronized JsonNode json() {
        if (json == null) {
            try {
                json = new ObjectMapper().readTree(DIR.resolve("family-golden.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return json;
    }

    public static JsonNode image(String name) {
        for (JsonNode n : json().get("images")) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException(name);
    }

    public static List<String> imageNames() {
        List<String> out = new ArrayList<>();
        json().get("images").forEach(n -> out.add(n.get("name").asText()));
        return out;
    }

    static List<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        json().get("cases").forEach(out::add);
        return out;
    }

    public static RgbImage load(String name) {
        return Goldens.loadPng(DIR.resolve(image(name).get("file").asText()));
    }

    public static Idefics3ImageProcessor processor() {
        return Idefics3ImageProcessor.fromJson(ModelDirectory.plain(MODEL_DIR).json(ModelDirectory.PREPROCESSOR_CONFIG),
                ModelDirectory.PREPROCESSOR_CONFIG);
    }
}
