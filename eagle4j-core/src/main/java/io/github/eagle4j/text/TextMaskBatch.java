package io.github.eagle4j.text;

import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RgbImage;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A batch of model inputs that differ in which prompt spans the model sees: for each entry the set of spans kept
 * (the others are hidden with {@link #mask()}), and either one intact image for every entry (a text-only search) or a
 * masked image per entry (a search over image regions and spans together). A backend scores it in one
 * {@link io.github.eagle4j.TokenScorer#scoreText} call.
 *
 * @param mask     how removed spans are hidden
 * @param spans    the prompt's spans, ids {@code 0..M-1}
 * @param keptSpans per entry, the span ids visible (copied)
 * @param image    the intact image of every entry, or {@code null} when {@code images} is given
 * @param images   one masked image per entry, or {@code null} when {@code image} is given
 */
public record TextMaskBatch(TextMask mask, List<TextSpan> spans, List<BitSet> keptSpans, RgbImage image, MaskedBatch images) {
    /**
     * @throws IllegalArgumentException when a kept set names a span that does not exist, span ids are not dense, or
     *                                  the images do not match the entries
     */
    public TextMaskBatch {
        Objects.requireNonNull(mask, "mask");
        spans = List.copyOf(spans);
        for (int i = 0; i < spans.size(); i++) {
            if (spans.get(i).id() != i) {
                throw new IllegalArgumentException("span ids must be dense 0.." + (spans.size() - 1) + "; span " + i + " has id "
                        + spans.get(i).id());
            }
        }
        if ((image == null) == (images == null)) {
            throw new IllegalArgumentException("give either one intact image or one masked image per entry");
        }
        List<BitSet> copies = new ArrayList<>(keptSpans.size());
        for (BitSet kept : keptSpans) {
            if (kept.length() > spans.size()) {
                throw new IllegalArgumentException("span id " + (kept.length() - 1) + " does not exist; ids are 0.." + (spans.size() - 1));
            }
            copies.add((BitSet) kept.clone());
        }
        keptSpans = List.copyOf(copies);
        if (images != null && images.size() != keptSpans.size()) {
            throw new IllegalArgumentException(images.size() + " masked images for " + keptSpans.size() + " kept-span sets");
        }
    }

    /** Entries that all show {@code image} intact. */
    public static TextMaskBatch onImage(RgbImage image, TextMask mask, List<TextSpan> spans, List<BitSet> keptSpans) {
        return new TextMaskBatch(mask, spans, keptSpans, Objects.requireNonNull(image, "image"), null);
    }

    /** Entry {@code i} shows masked image {@code i} of {@code images} and the spans of {@code keptSpans.get(i)}. */
    public static TextMaskBatch onMaskedImages(MaskedBatch images, TextMask mask, List<TextSpan> spans, List<BitSet> keptSpans) {
        return new TextMaskBatch(mask, spans, keptSpans, null, Objects.requireNonNull(images, "images"));
    }

    /** Copies of the kept sets, one per entry. */
    @Override
    public List<BitSet> keptSpans() {
        List<BitSet> out = new ArrayList<>(keptSpans.size());
        for (BitSet kept : keptSpans) {
            out.add((BitSet) kept.clone());
        }
        return out;
    }

    /** The number of entries. */
    public int size() {
        return keptSpans.size();
    }

    /** Whether span {@code span} is visible in entry {@code entry}. */
    public boolean isKept(int entry, int span) {
        return keptSpans.get(entry).get(span);
    }

    /** The image every entry is made from (the intact image, or the masked images' original). */
    public RgbImage original() {
        return image != null ? image : images.original();
    }

    /** The pixels of entry {@code entry}'s image. */
    public RgbImage imageOf(int entry) {
        return image != null ? image : images.image(entry);
    }
}
