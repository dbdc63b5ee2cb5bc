package io.github.eagle4j.text;

import java.util.Locale;

/** How a removed span is hidden from the model (docs/text.md). */
public enum TextMask {
    /** The span's tokens are replaced by the model's pad token (its unknown token when it has no pad token). */
    PAD,
    /**
     * The span's positions are removed from the attention mask; every other token keeps the position id it has in the
     * intact sequence.
     */
    DROP;

    /** The name the command line uses: {@code pad} or {@code drop}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a command-line name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static TextMask parse(String name) {
        for (TextMask m : values()) {
            if (m.cliName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("text mask '" + name + "' is not one of pad, drop");
    }
}
