package io.github.eagle4j;

import java.util.Arrays;

/**
 * An immutable 8-bit RGB image in memory, the unit the method masks and a {@link TokenScorer} scores.
 *
 * <p>Pixels are packed as {@code 0xRRGGBB} in raster order (row by row, left to right). The image is
 * kept at its original resolution: masking happens here, before any model preprocessing (docs/method.md §3).
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final int[] rgb;

    private RgbImage(int width, int height, int[] rgb) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    private int[] array() {
        return rgb;
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
     * read rows this way rather than pixel by pixel.
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
