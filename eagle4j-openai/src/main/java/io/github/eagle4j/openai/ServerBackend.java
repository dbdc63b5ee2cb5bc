package io.github.eagle4j.openai;

import io.github.eagle4j.InvalidInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The protocols this module speaks: the {@code --backend} values for a server URL. */
public enum ServerBackend {
    /** vLLM's OpenAI-compatible server: {@code /v1/chat/completions} with {@code prompt_logprobs}; exact. */
    VLLM("vllm"),
    /** SGLang's native {@code /generate} with {@code input_token_logprobs}; exact; the chat format is rendered here. */
    SGLANG("sglang"),
    /** Hosted OpenAI-style chat APIs that return {@code top_logprobs} of generated tokens only; approximate. */
    OPENAI("openai");

    private final String cliName;

    ServerBackend(String cliName) {
        this.cliName = cliName;
    }

    /** The name {@code --backend} takes. */
    public String cliName() {
        return cliName;
    }

    /**
     * The backend named {@code name} (case-insensitive).
     *
     * @throws InvalidInputException listing the known names
     */
    public static ServerBackend of(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (ServerBackend b : values()) {
            if (b.cliName.equals(n)) {
                return b;
            }
        }
        throw InvalidInputException.forInput(ServerSettings.BACKEND, " " + name + " is not a server backend (known: "
                + Arrays.stream(values()).map(ServerBackend::cliName).collect(Collectors.joining(", ")) + ")");
    }
}
