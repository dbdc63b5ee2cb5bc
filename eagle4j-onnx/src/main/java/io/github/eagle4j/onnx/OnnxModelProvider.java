package io.github.eagle4j.onnx;

import io.github.eagle4j.ModelProvider;
import io.github.eagle4j.VisionLanguageModel;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The {@code onnx} backend for {@code --model DIR}: a folder in the onnx-community layout (an {@code onnx/}
 * subfolder and {@code config.json}). Settings keys: {@value OnnxSettings#THREADS}, {@value OnnxSettings#BATCH_SIZE},
 * {@value OnnxSettings#PARALLEL}, {@value OnnxSettings#DEVICE}, {@value OnnxSettings#DTYPE} (see {@link OnnxSettings}).
 * Registered for {@link java.util.ServiceLoader}.
 */
public final class OnnxModelProvider implements ModelProvider {
    /** The backend name. */
    public static final String BACKEND = "onnx";

    @Override
    public Set<String> backends() {
        return Set.of(BACKEND);
    }

    @Override
    public boolean accepts(String model) {
        try {
            Path p = Path.of(model);
            return Files.isDirectory(p.resolve("onnx")) && Files.isRegularFile(p.resolve(ModelDirectory.CONFIG));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    @Override
    public VisionLanguageModel open(String model, Map<String, String> settings) {
        Path p;
        try {
            p = Path.of(model);
        } catch (InvalidPathException e) {
            throw new io.github.eagle4j.InvalidInputException("--model '" + model + "' is not a valid path: " + e.getReason());
        }
        return OnnxModel.open(p, OnnxSettings.fromMap(settings));
    }
}
