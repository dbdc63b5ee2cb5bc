package io.github.eagle4j.onnx;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ModelProvider;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.onnx.hub.HfCache;
import io.github.eagle4j.onnx.hub.ModelDirectory;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The {@code onnx} backend for {@code --model DIR} or {@code --model owner/name[@revision]}: a folder in the
 * onnx-community layout (an {@code onnx/} subfolder and {@code config.json}), or a model id that is not a local path,
 * resolved offline in the Hugging Face cache by {@link HfCache}. Settings keys: {@value OnnxSettings#THREADS},
 * {@value OnnxSettings#BATCH_SIZE}, {@value OnnxSettings#PARALLEL}, {@value OnnxSettings#DEVICE},
 * {@value OnnxSettings#DTYPE} (see {@link OnnxSettings}). Registered for {@link java.util.ServiceLoader}.
 */
public final class OnnxModelProvider implements ModelProvider {
    /** The backend name. */
    public static final String BACKEND = "onnx";

    private final HfCache cache;

    /** The provider {@link java.util.ServiceLoader} makes: the Hugging Face cache of this process. */
    public OnnxModelProvider() {
        this(HfCache.fromEnvironment());
    }

    /** A provider that resolves model ids in the given cache. */
    public OnnxModelProvider(HfCache cache) {
        this.cache = cache;
    }

    @Override
    public Set<String> backends() {
        return Set.of(BACKEND);
    }

    @Override
    public boolean accepts(String model) {
        try {
            Path p = Path.of(model);
            if (Files.isDirectory(p.resolve("onnx")) && Files.isRegularFile(p.resolve(ModelDirectory.CONFIG))) {
                return true;
            }
            return !Files.exists(p) && HfCache.isRepoId(model);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    @Override
    public VisionLanguageModel open(String model, Map<String, String> settings) {
        OnnxSettings s = OnnxSettings.fromMap(settings);
        return OnnxModel.open(directory(model), s);
    }

    /** The model folder {@code --model} names: the path itself, or a snapshot of the Hugging Face cache. */
    Path directory(String model) {
        Path p;
        try {
            p = Path.of(model);
        } catch (InvalidPathException e) {
            throw InvalidInputException.forInput(MODEL, " '" + model + "' is not a valid path: " + e.getReason());
        }
        if (!Files.exists(p) && HfCache.isRepoId(model)) {
            return cache.resolve(model);
        }
        return p;
    }
}
