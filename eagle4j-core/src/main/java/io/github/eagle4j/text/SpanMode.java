package io.github.eagle4j.text;

import java.util.Locale;

/** How the prompt is divided into spans: one span per word, per sentence or per message. */
public enum SpanMode {
    /** A maximal run of letters and digits, or of other non-space characters (punctuation). */
    WORDS,
    /** Text up to and including a sentence end ({@code . ! ?} and their full-width forms) or a line break. */
    SENTENCES,
    /** A whole message of the conversation. */
    MESSAGES;

    /** The name the command line uses: {@code words}, {@code sentences}, {@code messages}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a command-line name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SpanMode parse(String name) {
        for (SpanMode m : values()) {
            if (m.cliName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("text regions '" + name + "' is not one of words, sentences, messages");
    }
}
