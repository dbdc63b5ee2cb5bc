package io.github.eagle4j;

import io.github.eagle4j.masking.MaskedFrom;

import java.util.Arrays;
import java.util.Optional;

/**
 * An immutable 8-bit RGB image in memory, the unit the method masks and a {@link TokenScorer} scores.
 *
 * <p>Pixels are packed as {@code 0xRRGGBB} in raster order (row by row, left to right). The image is
 * kept at its original resolution: masking happens here, before any model preprocessing (docs/method.md §3).
 *
 * <p>A masked image made by a {@link io.github.eagle4j.masking.Masker} also says how it was made
 * ({@link #maskedFrom()}) and builds its pixels only when something reads them: a scorer that knows how to
 * preprocess the masked image from the original's data never pays for the full-resolution copy.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    /** The pixels; null until first read for a lazily built masked image. */
    private Pixels pixels;
    private final MaskedFrom maskedFrom;

    /**
     * Holds the pixel array in a final field, so that a thread that sees the reference also sees the array's
     * contents (final-field semantics); this makes the lazy build below safe without a volatile read per pixel.
     */
    private record Pixels(int[] rgb) {
    }

    private RgbImage(int width, int height, int[] rgb) {
        this.width = width;
        this.height = height;
        this.pixels = new Pixels(rgb);
        this.maskedFrom = null;
    }

    private RgbImage(MaskedFrom maskedFrom) {
        this.width = maskedFrom.masker().original().width();
        this.height = maskedFrom.masker().original().height();
        this.maskedFrom = maskedFrom;
    }

    /** The masked image {@code from} describes; its pixels are built on first read. */
    public static RgbImage masked(MaskedFrom from) {
        return new RgbImage(from);
    }

    /** How this image was masked from an original, when a {@link io.github.eagle4j.masking.Masker} made it. */
    public Optional<MaskedFrom> maskedFrom() {
        return Optional.ofNullable(maskedFrom);
    }

    private int[] array() {
        Pixels p = pixels;
        return p != null ? p.rgb() : build();
    }

    /** Builds a masked image's pixels once, however many threads ask (kept apart so that {@link #array} inlines). */
    private synchronized int[] build() {
        if (pixels == null) {
            pixels = new Pixels(maskedFrom.render());
        }
        return pixels.rgb();
    }

    /**
     * Wraps a copy of packed {@code 0xRRGGBB} pixels (the top byte is ignored).
     *
     * @throws IllegalArgumentException when the size is not positive or the array length is not w·h
     */
    public static RgbImage of(int width, int height, int[] packedRgb) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (packedRgb.length != (long) width * height) {
            throw new IllegalArgumentException(
                    "expected " + ((long) width * height) + " pixels for " + width + "x" + height + ", got " + packedRgb.length);
        }
        int[] copy = new int[packedRgb.length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = packedRgb[i] & 0xFFFFFF;
        }
        return new RgbImage(width, height, copy);
    }

    /**
     * Takes ownership of {@code packedRgb} without copying, for hot paths (masking) that built the array
     * themselves. The caller must not modify the array afterwards; values must lie in {@code 0..0xFFFFFF}.
     */
    public static RgbImage adopt(int width, int height, int[] packedRgb) {
        if (width <= 0 || height <= 0 || packedRgb.length != (long) width * height) {
            throw new IllegalArgumentException("pixel array of length " + packedRgb.length + " does not match " + width + "x" + height);
        }
        return new RgbImage(width, height, packedRgb);
    }

    /** A one-colour image, e.g. the all-black baseline. */
    public static RgbImage filled(int width, int height, int packedRgb) {
        int[] px = new int[Math.multiplyExact(width, height)];
        Arrays.fill(px, packedRgb & 0xFFFFFF);
        return of(width, height, px);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int pixelCount() {
        return width * height;
    }

    /** The packed {@code 0xRRGGBB} value at column x, row y. */
    public int rgb(int x, int y) {
        return array()[y * width + x];
    }

    /** The packed {@code 0xRRGGBB} value at raster index {@code y·width + x}. */
    public int rgbAt(int index) {
        return array()[index];
    }

    /** A fresh copy of all pixels in raster order. */
    public int[] pixels() {
        return array().clone();
    }

    /**
     * Copies {@code length} pixels from raster index {@code from} into {@code dst} at {@code dstPos}: hot loops
     * read rows this way rather than pixel by pixel, which also builds a lazily masked image's pixels only once.
     */
    public void copyPixels(int from, int[] dst, int dstPos, int length) {
        System.arraycopy(array(), from, dst, dstPos, length);
    }

    /** Copies all pixels into {@code dst} (length ≥ pixelCount) without allocating. */
    public void copyPixels(int[] dst) {
        int[] rgb = array();
        System.arraycopy(rgb, 0, dst, 0, rgb.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && other.width == width && other.height == height
                && Arrays.equals(other.array(), array());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(array());
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
