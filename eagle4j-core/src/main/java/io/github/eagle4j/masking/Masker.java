package io.github.eagle4j.masking;

import io.github.eagle4j.Fill;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TokenScorer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Builds masked images: only chosen regions visible, the pixels of every other region replaced by the fill
 * (docs/method.md §3).
 *
 * <p>Masking happens in <b>pixel space at the original resolution, before any model preprocessing</b>
 * (resizing, normalisation and patching all happen afterwards, inside the scorer), exactly as the authors do.
 * Fills:
 * <ul>
 *   <li>{@link Fill#BLACK}: 0 in every channel — the paper's choice and the default;</li>
 *   <li>{@link Fill#MEAN}: the per-channel mean of the whole original image, rounded half up;</li>
 *   <li>{@link Fill#BLUR}: the original blurred by three box-filter passes of radius
 *       {@code max(1, round(min(W, H) / 16))} (≈ Gaussian σ of r + ½; 30 for 640×480), edges clamped.</li>
 * </ul>
 * For a canvas of several images ({@link FrameLayout}) the mean and the blur are each image's own: the mean of its
 * pixels, its own blur with its own radius and its own edges, so nothing crosses the seam between two images
 * (docs/frames.md); with one image this is exactly the fill above.
 * Pixels that belong to no region ({@link RegionSet#UNLABELLED}) always keep their original value.
 *
 * <p>Built for the search's hot path: each region is stored as a list of row runs, and an image is built by
 * copying runs (from the original into a fill-coloured array, or from the fill into a copy of the original,
 * whichever copies fewer pixels). A scorer that can preprocess masked images from the original and the kept
 * regions receives this masker and the kept sets in a {@link io.github.eagle4j.MaskedBatch} and never asks for the
 * pixels. Immutable and safe to share between threads.
 */
public final class Masker {
    private final RgbImage originalImage;
    private final RegionSet regions;
    private final Fill fill;
    private final FrameLayout frames;
    private final int width;
    private final int height;
    private final int[] original;
    /** The fill value of every pixel; null for {@link Fill#BLACK} (all zero). */
    private final int[] fillPixels;
    /** Runs of group g (region id, or N for unlabelled pixels) are {@code runOffset[g] .. runOffset[g+1]-1}. */
    private final int[] runOffset;
    private final int[] runStart;
    private final int[] runLength;
    private final int unlabelledPixels;

    /**
     * A masker for one image.
     *
     * @throws IllegalArgumentException when the image and the regions differ in size
     */
    public Masker(RgbImage original, RegionSet regions, Fill fill) {
        this(original, regions, fill, FrameLayout.single(original.width(), original.height()));
    }

    /**
     * A masker for a canvas of several images: the mean and blur fills are computed image by image.
     *
     * @param frames the images on the canvas ({@link FrameLayout#single} for one image)
     * @throws IllegalArgumentException when the image and the regions differ in size, or the canvas is not the
     *                                  layout's
     */
    public Masker(RgbImage original, RegionSet regions, Fill fill, FrameLayout frames) {
        if (original.width() != frames.canvasWidth() || original.height() != frames.canvasHeight()) {
            throw new IllegalArgumentException("image " + original.width() + "x" + original.height() + " is not the canvas of "
                    + frames);
        }
        if (original.width() != regions.width() || original.height() != regions.height()) {
            throw new IllegalArgumentException("image " + original.width() + "x" + original.height()
                    + " and regions " + regions.width() + "x" + regions.height() + " differ in size");
        }
        this.originalImage = original;
        this.regions = regions;
        this.fill = fill;
        this.frames = frames;
        this.width = original.width();
        this.height = original.height();
        this.original = original.pixels();
        this.fillPixels = fill == Fill.BLACK ? null : fillPixels(original, frames, fill);

        int groups = regions.regionCount() + 1;
        int[] counts = new int[groups + 1];
        forEachRun(regions, (group, start, length) -> counts[group + 1]++);
        for (int g = 0; g < groups; g++) {
            counts[g + 1] += counts[g];
        }
        this.runOffset = counts;
        int runs = counts[groups];
        this.runStart = new int[runs];
        this.runLength = new int[runs];
        int[] cursor = Arrays.copyOf(counts, groups);
        forEachRun(regions, (group, start, length) -> {
            int k = cursor[group]++;
            runStart[k] = start;
            runLength[k] = length;
        });
        this.unlabelledPixels = regions.unlabelledPixelCount();
    }

    /**
     * A masker for images scored by {@code scorer}: filled image by image when the scorer cuts canvases into several
     * images ({@link TokenScorer#frames}).
     */
    public static Masker forScorer(RgbImage original, RegionSet regions, Fill fill, TokenScorer scorer) {
        return new Masker(original, regions, fill,
                scorer.frames().orElseGet(() -> FrameLayout.single(original.width(), original.height())));
    }

    /** The image without masking. */
    public RgbImage original() {
        return originalImage;
    }

    /** The regions the kept-sets refer to. */
    public RegionSet regions() {
        return regions;
    }

    /** The images on the canvas; one frame for a single image. */
    public FrameLayout frames() {
        return frames;
    }

    /** The fill of removed regions. */
    public Fill fill() {
        return fill;
    }

    /** What removed regions become, pixel by pixel (all black for {@link Fill#BLACK}). */
    public RgbImage fillImage() {
        return fillPixels == null ? RgbImage.filled(width, height, 0) : RgbImage.of(width, height, fillPixels);
    }

    /**
     * The image in which only the regions in {@code keptRegions} (and unlabelled pixels) are visible.
     *
     * @throws IllegalArgumentException when a set bit is not a region id
     */
    public RgbImage keep(BitSet keptRegions) {
        int n = regions.regionCount();
        if (keptRegions.length() > n) {
            throw new IllegalArgumentException("region id " + (keptRegions.length() - 1) + " does not exist; ids are 0.." + (n - 1));
        }
        return RgbImage.adopt(width, height, render(keptRegions));
    }

    /** The pixels of {@link #keep}{@code (keptRegions)}, ids already checked. */
    private int[] render(BitSet keptRegions) {
        int n = regions.regionCount();
        long keptPixels = unlabelledPixels;
        for (int r = keptRegions.nextSetBit(0); r >= 0; r = keptRegions.nextSetBit(r + 1)) {
            keptPixels += regions.pixelCount(r);
        }
        int[] out;
        if (2 * keptPixels >= original.length) {
            out = original.clone();
            for (int r = keptRegions.nextClearBit(0); r < n; r = keptRegions.nextClearBit(r + 1)) {
                for (int k = runOffset[r]; k < runOffset[r + 1]; k++) {
                    if (fillPixels == null) {
                        Arrays.fill(out, runStart[k], runStart[k] + runLength[k], 0);
                    } else {
                        System.arraycopy(fillPixels, runStart[k], out, runStart[k], runLength[k]);
                    }
                }
            }
        } else {
            out = fillPixels == null ? new int[original.length] : fillPixels.clone();
            for (int r = keptRegions.nextSetBit(0); r >= 0; r = keptRegions.nextSetBit(r + 1)) {
                copyRuns(r, out);
            }
            copyRuns(n, out);
        }
        return out;
    }

    /** {@link #keep} for each set, in order. */
    public List<RgbImage> keepAll(List<BitSet> keptRegionSets) {
        List<RgbImage> out = new ArrayList<>(keptRegionSets.size());
        for (BitSet kept : keptRegionSets) {
            out.add(keep(kept));
        }
        return out;
    }

    private void copyRuns(int group, int[] out) {
        for (int k = runOffset[group]; k < runOffset[group + 1]; k++) {
            System.arraycopy(original, runStart[k], out, runStart[k], runLength[k]);
        }
    }

    /** The mean or blur fill of each frame on its own, placed on the canvas; padding pixels stay 0 (never filled). */
    private static int[] fillPixels(RgbImage canvas, FrameLayout frames, Fill fill) {
        if (frames.count() == 1) {
            return fillOf(canvas.width(), canvas.height(), canvas.pixels(), fill);
        }
        int w = canvas.width();
        int[] out = new int[w * canvas.height()];
        for (int k = 0; k < frames.count(); k++) {
            FrameLayout.Frame f = frames.frame(k);
            int[] own = fillOf(f.width(), f.height(), frames.frameImage(canvas, k).pixels(), fill);
            for (int y = 0; y < f.height(); y++) {
                System.arraycopy(own, y * f.width(), out, y * w + f.x(), f.width());
            }
        }
        return out;
    }

    private static int[] fillOf(int width, int height, int[] rgb, Fill fill) {
        return switch (fill) {
            case BLACK -> new int[rgb.length];
            case MEAN -> meanFill(rgb);
            case BLUR -> BoxBlur.blur(width, height, rgb, BoxBlur.radius(width, height));
        };
    }

    private static int[] meanFill(int[] rgb) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int p : rgb) {
            r += (p >>> 16) & 0xFF;
            g += (p >>> 8) & 0xFF;
            b += p & 0xFF;
        }
        long n = rgb.length;
        int mean = (int) (((r + n / 2) / n) << 16 | ((g + n / 2) / n) << 8 | ((b + n / 2) / n));
        int[] out = new int[rgb.length];
        Arrays.fill(out, mean);
        return out;
    }

    @FunctionalInterface
    private interface RunConsumer {
        void accept(int group, int start, int length);
    }

    /** Visits maximal row runs of equal labels; unlabelled pixels are group N. */
    private static void forEachRun(RegionSet regions, RunConsumer consumer) {
        int w = regions.width();
        int h = regions.height();
        int unlabelledGroup = regions.regionCount();
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int x = 0;
            while (x < w) {
                int label = regions.labelAt(row + x);
                int end = x + 1;
                while (end < w && regions.labelAt(row + end) == label) {
                    end++;
                }
                consumer.accept(label < 0 ? unlabelledGroup : label, row + x, end - x);
                x = end;
            }
        }
    }
}
