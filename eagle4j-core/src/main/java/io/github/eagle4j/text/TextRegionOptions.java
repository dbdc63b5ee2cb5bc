package io.github.eagle4j.text;

import java.util.Objects;

/**
 * What a text-region explanation asks for: how the prompt is divided, how removed spans are hidden, and whether
 * image regions and spans are also searched together ({@code --text-regions}, {@code --text-mask}, {@code --joint}).
 *
 * @param mode  how the prompt is divided into spans
 * @param mask  how a removed span is hidden
 * @param joint also run the joint search over regions and spans, with the evidence split
 */
public record TextRegionOptions(SpanMode mode, TextMask mask, boolean joint) {
    /** The default mask when only {@code --text-regions} is given. */
    public static final TextMask DEFAULT_MASK = TextMask.PAD;

    public TextRegionOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(mask, "mask");
    }
}
