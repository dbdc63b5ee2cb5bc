package io.github.eagle4j.text;

import java.util.Objects;

/**
 * What a text-region explanation asks for: how the prompt is divided and how removed spans are hidden
 * ({@code --text-regions}, {@code --text-mask}).
 *
 * @param mode how the prompt is divided into spans
 * @param mask how a removed span is hidden
 */
public record TextRegionOptions(SpanMode mode, TextMask mask) {
    /** The default mask when only {@code --text-regions} is given. */
    public static final TextMask DEFAULT_MASK = TextMask.PAD;

    public TextRegionOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(mask, "mask");
    }
}
