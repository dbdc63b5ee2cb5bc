package io.github.eagle4j.text;

import java.util.Locale;

/** Who wrote a message of the conversation. */
public enum MessageRole {
    SYSTEM, USER, ASSISTANT;

    /** The chat-template name: {@code system}, {@code user}, {@code assistant}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
