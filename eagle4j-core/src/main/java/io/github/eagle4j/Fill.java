package io.github.eagle4j;

import java.util.Locale;

/** What replaces the pixels of removed regions (docs/method.md §3). */
public enum Fill {
    /** All channels 0: the paper's and authors' choice, the default. */
    BLACK,
    /** The per-channel mean of the original image (eagle4j extension). */
    MEAN,
    /** A heavily blurred copy of the original image (eagle4j extension). */
    BLUR;

    /** The lower-case name used on the command line and in JSON. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
