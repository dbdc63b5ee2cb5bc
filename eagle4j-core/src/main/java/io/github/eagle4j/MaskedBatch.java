package io.github.eagle4j;

import io.github.eagle4j.masking.Masker;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Masked images given by how they are made rather than by their pixels: one original image, its regions and the
 * fill of removed regions (a {@link Masker}), and for each image the set of regions kept visible; unlabelled pixels
 * are always visible (docs/method.md §3). A search step hands one to {@link TokenScorer#scoreMasked}.
 *
 * <p>A backend that can preprocess a masked image from work done once on the original reads this recipe and never
 * builds the full-resolution images (the ONNX backend resizes them from per-region sums); any other backend takes
 * the pixels from {@link #image} or {@link #images()}. Both must give the same scores.
 *
 * @param masker   the original image, its regions and the fill
 * @param keptSets per image, the region ids visible in it (copied; later changes to the caller's sets do not show)
 */
public record MaskedBatch(Masker masker, List<BitSet> keptSets) {
    /**
     * @throws IllegalArgumentException when a set holds an id that is not a region of the masker
     */
    public MaskedBatch {
        Objects.requireNonNull(masker, "masker");
        int n = masker.regions().regionCount();
        List<BitSet> copies = new ArrayList<>(keptSets.size());
        for (BitSet kept : keptSets) {
            if (kept.length() > n) {
                throw new IllegalArgumentException("region id " + (kept.length() - 1) + " does not exist; ids are 0.." + (n - 1));
            }
            copies.add((BitSet) kept.clone());
        }
        keptSets = List.copyOf(copies);
    }

    /** Copies of the kept sets, one per image. */
    @Override
    public List<BitSet> keptSets() {
        List<BitSet> out = new ArrayList<>(keptSets.size());
        for (BitSet kept : keptSets) {
            out.add((BitSet) kept.clone());
        }
        return out;
    }

    /** The number of images. */
    public int size() {
        return keptSets.size();
    }

    /** The image every masked image is made from. */
    public RgbImage original() {
        return masker.original();
    }

    /** The regions the kept sets refer to. */
    public RegionSet regions() {
        return masker.regions();
    }

    /** What removed regions become. */
    public Fill fill() {
        return masker.fill();
    }

    /** Whether region {@code region} is visible in image {@code image}. */
    public boolean isKept(int image, int region) {
        return keptSets.get(image).get(region);
    }

    /** The pixels of image {@code image}, built now at the original's resolution. */
    public RgbImage image(int image) {
        return masker.keep(keptSets.get(image));
    }

    /** The pixels of every image, in order. */
    public List<RgbImage> images() {
        List<RgbImage> out = new ArrayList<>(keptSets.size());
        for (BitSet kept : keptSets) {
            out.add(masker.keep(kept));
        }
        return out;
    }
}
