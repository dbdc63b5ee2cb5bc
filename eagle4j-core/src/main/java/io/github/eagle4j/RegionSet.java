package io.github.eagle4j;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A partition of an image's pixels into regions with dense ids {@code 0..N-1} (docs/method.md §2).
 *
 * <p>Every pixel carries exactly one region id, except that a user label map may leave pixels
 * unlabelled ({@link #UNLABELLED}); those are never masked by the search and count towards no region.
 *
 * <p>A region set made by a {@link Segmenter} carries the {@link Segmentation} that made it (segmenter and
 * settings), so the settings travel with the result rather than living in the segmenter.
 */
public final class RegionSet {
    /** Label value of a pixel that belongs to no region. */
    public static final int UNLABELLED = -1;

    private final int width;
    private final int height;
    private final int[] labels;
    private final int regionCount;
    private final int[] pixelCounts;
    private final Segmentation segmentation;

    private RegionSet(int width, int height, int[] labels, int regionCount, int[] pixelCounts,
                      Segmentation segmentation) {
        this.width = width;
        this.height = height;
        this.labels = labels;
        this.regionCount = regionCount;
        this.pixelCounts = pixelCounts;
        this.segmentation = segmentation;
    }

    /**
     * Builds a region set from a label per pixel (raster order).
     *
     * @throws IllegalArgumentException when ids are not dense {@code 0..N-1}, a region is empty, fewer than
     *                                  two regions exist, or a label is below {@link #UNLABELLED}
     */
    public static RegionSet fromLabels(int width, int height, int[] labels) {
        if (labels.length != (long) width * height) {
            throw new IllegalArgumentException("expected " + ((long) width * height) + " labels, got " + labels.length);
        }
        int max = -1;
        for (int v : labels) {
            if (v < UNLABELLED) {
                throw new IllegalArgumentException("region id " + v + " is negative");
            }
            max = Math.max(max, v);
        }
        int n = max + 1;
        int[] counts = new int[n];
        for (int v : labels) {
            if (v >= 0) {
                counts[v]++;
            }
        }
        for (int r = 0; r < n; r++) {
            if (counts[r] == 0) {
                throw new IllegalArgumentException("region ids must be dense 0.." + (n - 1) + ": id " + r + " has no pixel");
            }
        }
        if (n < 2) {
            throw new IllegalArgumentException("at least 2 regions are needed, got " + n);
        }
        return new RegionSet(width, height, labels.clone(), n, counts, null);
    }

    /** The same regions, described as made by {@code segmentation}. */
    public RegionSet withSegmentation(Segmentation segmentation) {
        return new RegionSet(width, height, labels, regionCount, pixelCounts,
                Objects.requireNonNull(segmentation, "segmentation"));
    }

    /** The segmenter and settings that made these regions; empty for regions built from labels alone. */
    public Optional<Segmentation> segmentation() {
        return Optional.ofNullable(segmentation);
    }

    /** The image's width in pixels. */
    public int width() {
        return width;
    }

    /** The image's height in pixels. */
    public int height() {
        return height;
    }

    /** N, the number of regions. */
    public int regionCount() {
        return regionCount;
    }

    /** The region id of the pixel at column x, row y, or {@link #UNLABELLED}. */
    public int label(int x, int y) {
        return labels[y * width + x];
    }

    /** The region id at raster index {@code y·width + x}, or {@link #UNLABELLED}. */
    public int labelAt(int index) {
        return labels[index];
    }

    /** A copy of the labels in raster order. */
    public int[] labels() {
        return labels.clone();
    }

    /** Number of pixels of region {@code id}. */
    public int pixelCount(int id) {
        return pixelCounts[id];
    }

    /** Number of pixels that carry no region id (0 for SLIC and grid regions). */
    public int unlabelledPixelCount() {
        return labels.length - Arrays.stream(pixelCounts).sum();
    }

    /**
     * Each region's share of the image's pixels, {@code |pixels(r)| / (W·H)}: the steps of the area axis
     * of the insertion and deletion curves (docs/method.md §4).
     */
    public double[] areaFractions() {
        double total = (double) width * height;
        double[] out = new double[regionCount];
        for (int r = 0; r < regionCount; r++) {
            out[r] = pixelCounts[r] / total;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegionSet other && other.width == width && other.height == height
                && Arrays.equals(other.labels, labels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "RegionSet[" + regionCount + " regions, " + width + "x" + height + "]";
    }
}
