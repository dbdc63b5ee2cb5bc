package io.github.eagle4j.cli;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
            description = "Backend that opens --model: onnx for a directory; vllm (default for a URL), sglang or openai for a server. "
                    + "Default: the first installed backend that accepts it.")
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

    @Option(names = "--served-model", paramLabel = "NAME",
            description = "Server backends: the model name the server serves (default: the only one it lists; required for openai).")
    String servedModel;

    @Option(names = "--api-key-env", paramLabel = "VAR",
            description = "Server backends: the NAME of the environment variable that holds the API key (the key itself is never "
                    + "given on the command line, logged or written).")
    String apiKeyEnv;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Server backends: another replica of the --model server (repeatable); requests go to the endpoint with "
                    + "the fewest outstanding requests, and around one that fails.")
    List<String> endpoints = new ArrayList<>();

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "0",
            description = "Server backends: requests in flight at once (0 = automatic: 16 per vLLM endpoint, 4 per SGLang "
                    + "endpoint, 8 for a hosted API).")
    int concurrency;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Server backends: limit for one request attempt (default 120).")
    Double timeoutSeconds;

    @Option(names = "--retries", paramLabel = "N",
            description = "Server backends: retries after a connection error, a timeout, HTTP 429 or 5xx (default 4).")
    Integer retries;

    @Option(names = "--chat-format", paramLabel = "FORMAT",
            description = "SGLang: the conversation format, a preset (llava-1.5, qwen2.5-vl) or a line such as "
                    + "'USER: <image>\\n{prompt} ASSISTANT:{gen} {answer}</s>'.")
    String chatFormat;

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
        if (backend != null) {
            s.put("backend", backend);
        }
        if (servedModel != null) {
            s.put("servedModel", servedModel);
        }
        if (apiKeyEnv != null) {
            s.put("apiKeyEnv", apiKeyEnv);
        }
        if (!endpoints.isEmpty()) {
            s.put("endpoints", String.join(",", endpoints));
        }
        if (concurrency > 0) {
            s.put("concurrency", Integer.toString(concurrency));
        }
        if (timeoutSeconds != null) {
            s.put("timeoutSeconds", Double.toString(timeoutSeconds));
        }
        if (retries != null) {
            s.put("retries", Integer.toString(retries));
        }
        if (chatFormat != null) {
            s.put("chatFormat", chatFormat);
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
