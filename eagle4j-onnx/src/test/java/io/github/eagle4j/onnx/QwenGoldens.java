package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.image.QwenImageProcessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The PyTorch goldens of a tiny Qwen-VL fixture (fixtures/goldens/NAME/family-golden.json): the Qwen2-VL one by
 * fixtures/qwen2vl.py and the Qwen2.5-VL one by fixtures/qwen25vl.py, in the same format.
 */
public final class QwenGoldens {
    public static final QwenGoldens QWEN2_VL = new QwenGoldens("tiny-random-qwen2-vl", "qwen2_vl");
    static final QwenGoldens QWEN2_5_VL = new QwenGoldens("tiny-random-qwen2_5-vl", "qwen2_5_vl");

    /** The Qwen2-VL fixture's folders (kept for the tests that need one Qwen model, whichever). */
    static final Path DIR = QWEN2_VL.dir;
    static final Path MODEL = QWEN2_VL.model;

    final String name;
    final String modelType;
    final Path dir;
    public final Path model;
    private JsonNode json;

    private QwenGoldens(String name, String modelType) {
        this.name = name;
        this.modelType = modelType;
        this.dir = Goldens.GOLDENS.resolve(name);
        this.model = Goldens.REPO.resolve("fixtures/models/" + name);
    }

    /** Every Qwen-VL fixture, for parameterised tests. */
    public static List<QwenGoldens> all() {
        return List.of(QWEN2_VL, QWEN2_5_VL);
    }

    synchronized JsonNode json() {
        if (json == null) {
            try {
                json = new ObjectMapper().readTree(dir.resolve("family-golden.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return json;
    }

    public JsonNode image(String imageName) {
        for (JsonNode n : json().get("images")) {
            if (n.get("name").asText().equals(imageName)) {
                return n;
            }
        }
        throw new IllegalArgumentException(imageName);
    }

    public RgbImage load(String imageName) {
        return Goldens.loadPng(dir.resolve(image(imageName).get("file").asText()));
    }

    JsonNode preprocessorConfig() {
        return ModelDirectory.plain(model).json(ModelDirectory.PREPROCESSOR_CONFIG);
    }

    public QwenImageProcessor processor() {
        return QwenImageProcessor.fromJson(preprocessorConfig(), ModelDirectory.PREPROCESSOR_CONFIG);
    }

    static long[][] longRows(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Goldens.longs(rows.get(i));
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
