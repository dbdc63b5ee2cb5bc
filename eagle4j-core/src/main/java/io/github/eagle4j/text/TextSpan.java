package io.github.eagle4j.text;

import java.util.Objects;

/**
 * A run of prompt tokens that the search keeps or removes together: the text regions of docs/text.md. A span never
 * cuts a token, never crosses a message and never holds an image token, a chat-template token or an answer token.
 *
 * @param id         dense id {@code 0..M-1}, in prompt order
 * @param message    index of the message the span lies in
 * @param role       that message's role
 * @param text       the characters its tokens cover
 * @param charStart  first character in the message text
 * @param charEnd    one past the last character
 * @param tokenStart first token position in the sequence the model is fed (for the explained image's size)
 * @param tokenEnd   one past the last token position
 */
public record TextSpan(int id, int message, MessageRole role, String text, int charStart, int charEnd,
                       int tokenStart, int tokenEnd) {
    public TextSpan {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
        if (id < 0 || charEnd <= charStart || tokenEnd <= tokenStart || charStart < 0 || tokenStart < 0) {
            throw new IllegalArgumentException("bad text span " + id + ": characters " + charStart + ".." + charEnd
                    + ", tokens " + tokenStart + ".." + tokenEnd);
        }
    }

    /** The number of tokens in the span. */
    public int tokenCount() {
        return tokenEnd - tokenStart;
    }
}
