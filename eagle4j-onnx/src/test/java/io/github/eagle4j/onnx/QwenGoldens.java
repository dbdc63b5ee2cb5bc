package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.RgbImage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The PyTorch goldens of the tiny Qwen2-VL (fixtures/goldens/tiny-random-qwen2-vl/family-golden.json, by fixtures/qwen2vl.py). */
final class QwenGoldens {
    static final Path DIR = Goldens.GOLDENS.resolve("tiny-random-qwen2-vl");
    static final Path MODEL = Goldens.REPO.resolve("fixtures/models/tiny-random-qwen2-vl");
    private static JsonNode json;

    private QwenGoldens() {
    }

    static synchronized JsonNode json() {
        if (json == null) {
            try {
                json = new ObjectMapper().readTree(DIR.resolve("family-golden.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return json;
    }

    static JsonNode image(String name) {
        for (JsonNode n : json().get("images")) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException(name);
    }

    static RgbImage load(String name) {
        return Goldens.loadPng(DIR.resolve(image(name).get("file").asText()));
    }

    static JsonNode preprocessorConfig() {
        return ModelDirectory.plain(MODEL).json(ModelDirectory.PREPROCESSOR_CONFIG);
    }

    static QwenImageProcessor processor() {
        return QwenImageProcessor.fromJson(preprocessorConfig(), ModelDirectory.PREPROCESSOR_CONFIG);
    }

    static long[][] longRows(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Goldens.longs(rows.get(i));
        }
        return out;
    }
}
