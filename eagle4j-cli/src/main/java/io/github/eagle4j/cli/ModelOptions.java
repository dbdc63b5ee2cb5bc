package io.github.eagle4j.cli;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options shared by every command that loads a model. */
public final class ModelOptions {
    /** The bundled tiny test model, relative to the eagle4j home folder. */
    static final String BUNDLED_MODEL = "models/tiny-shapes-llava";

    @Option(names = "--model", paramLabel = "DIR|URL",
            description = "Model directory (onnx-community layout) or server URL. Default: the bundled tiny model "
                    + BUNDLED_MODEL + ".")
    String model;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend that opens --model (e.g. onnx). Default: the first installed backend that accepts it.")
    String backend;

    @Option(names = "--threads", paramLabel = "N",
            description = "Intra-op threads per model session (0 = backend default).", defaultValue = "0")
    int threads;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Largest number of images per model call (0 = backend default).", defaultValue = "0")
    int batchSize;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Model runs side by side, each on its own share of a batch (0 = backend default: one per core).",
            defaultValue = "0")
    int parallel;

    /** The model to open: the option, else the bundled model. */
    String resolvedModel() {
        if (model != null) {
            return model;
        }
        return home().resolve(BUNDLED_MODEL).toString();
    }

    /** Backend settings passed to the provider. */
    Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        if (threads > 0) {
            s.put("threads", Integer.toString(threads));
        }
        if (batchSize > 0) {
            s.put("batchSize", Integer.toString(batchSize));
        }
        if (parallel > 0) {
            s.put("parallel", Integer.toString(parallel));
        }
        return s;
    }

    /**
     * The eagle4j home folder: {@code EAGLE4J_HOME} (set by the {@code ./eagle} launcher), else the working
     * directory.
     */
    static Path home() {
        String env = System.getenv("EAGLE4J_HOME");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) {
            return Path.of(env);
        }
        return Path.of("");
    }
}
