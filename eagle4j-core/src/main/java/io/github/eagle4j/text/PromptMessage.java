package io.github.eagle4j.text;

import java.util.Objects;

/**
 * One message of the prompt as the user wrote it, before the chat template.
 *
 * @param role who wrote it
 * @param text its text; character offsets of {@link PromptToken} and {@link TextSpan} index into it
 */
public record PromptMessage(MessageRole role, String text) {
    public PromptMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
    }
}
