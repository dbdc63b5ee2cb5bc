package io.github.eagle4j.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options shared by every command that loads a model (a mixin): which model and how to run it, and the settings of
 * inference-server backends, each in its own help section.
 */
public final class ModelOptions {
    /** The bundled tiny test model, relative to the eagle4j home folder. */
    static final String BUNDLED_MODEL = "models/tiny-shapes-llava";

    @ArgGroup(validate = false, heading = HelpSections.MODEL, order = HelpSections.MODEL_ORDER)
    Model model = new Model();

    @ArgGroup(validate = false, heading = HelpSections.SERVER, order = HelpSections.SERVER_ORDER)
    Server server = new Server();

    /** Which model, which backend, and how it runs in this process. */
    static final class Model {
        @Option(names = "--model", paramLabel = "DIR|OWNER/NAME[@REV]|URL",
                description = "Model directory (onnx-community layout), a Hugging Face model id found offline in the local "
                        + "Hugging Face cache ($HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub; never downloaded), "
                        + "or server URL. Default: the bundled tiny model " + BUNDLED_MODEL + ".")
        String model;

        @Option(names = "--dtype", paramLabel = "DTYPE",
                description = "ONNX: the precision variant to load, onnx/decoder_model_merged{_suffix}.onnx: fp32, fp16, int8, uint8, "
                        + "q8 (alias quantized), q4, q4f16, bnb4. Default: fp32 when present, else the first present in that order.")
        String dtype;

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
    }

    /** Settings of the inference-server backends (vLLM, SGLang, OpenAI-compatible). */
    static final class Server {
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
                        + "'{history}USER: <image>\\n{prompt} ASSISTANT:{gen} {answer}</s>' ({history}, {system=DEFAULT}: where "
                        + "--conversation goes; docs/text.md).")
        String chatFormat;

        @Option(names = "--pad-token", paramLabel = "TEXT",
                description = "SGLang: the model's pad token (else unk token) as text, which --text-mask pad writes over removed "
                        + "prompt words; vLLM reads it from /tokenizer_info (docs/text.md).")
        String padToken;
    }

    /** The model to open: the option, else the bundled model. */
    String resolvedModel() {
        if (model.model != null) {
            return model.model;
        }
        return home().resolve(BUNDLED_MODEL).toString();
    }

    /** {@code --backend}, or {@code null} for the first installed backend that accepts the model. */
    String backend() {
        return model.backend;
    }

    /** {@code --dtype}, or {@code null}. */
    String dtype() {
        return model.dtype;
    }

    /** {@code --served-model}, or {@code null}. */
    String servedModel() {
        return server.servedModel;
    }

    /** Backend settings passed to the provider. */
    Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        if (model.threads > 0) {
            s.put("threads", Integer.toString(model.threads));
        }
        if (model.batchSize > 0) {
            s.put("batchSize", Integer.toString(model.batchSize));
        }
        if (model.parallel > 0) {
            s.put("parallel", Integer.toString(model.parallel));
        }
        if (model.dtype != null) {
            s.put("dtype", model.dtype);
        }
        if (model.backend != null) {
            s.put("backend", model.backend);
        }
        if (server.servedModel != null) {
            s.put("servedModel", server.servedModel);
        }
        if (server.apiKeyEnv != null) {
            s.put("apiKeyEnv", server.apiKeyEnv);
        }
        if (!server.endpoints.isEmpty()) {
            s.put("endpoints", String.join(",", server.endpoints));
        }
        if (server.concurrency > 0) {
            s.put("concurrency", Integer.toString(server.concurrency));
        }
        if (server.timeoutSeconds != null) {
            s.put("timeoutSeconds", Double.toString(server.timeoutSeconds));
        }
        if (server.retries != null) {
            s.put("retries", Integer.toString(server.retries));
        }
        if (server.padToken != null) {
            s.put("padToken", server.padToken);
        }
        if (server.chatFormat != null) {
            s.put("chatFormat", server.chatFormat);
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
