package io.github.eagle4j.onnx;

import io.github.eagle4j.RgbImage;

/**
 * Resizes 8-bit image channels with the same arithmetic as Pillow's {@code Image.resize} (separable convolution,
 * horizontal pass first, 22-bit fixed-point coefficients, uint8 rounding after each pass), so that pixel values
 * match a Hugging Face image processor running on the PIL backend bit for bit.
 */
final class PillowResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    /** Pillow's resampling filters with their resample codes and supports. */
    enum Filter {
        LANCZOS(1, 3.0),
        BILINEAR(2, 1.0),
        BICUBIC(3, 2.0),
        BOX(4, 0.5),
        HAMMING(5, 1.0);

        final int code;
        final double support;

        Filter(int code, double support) {
            this.code = code;
            this.support = support;
        }

        /** The filter for a PIL resample code (1..5); {@code null} for anything else, NEAREST included. */
        static Filter ofCode(int code) {
            for (Filter f : values()) {
                if (f.code == code) {
                    return f;
                }
            }
            return null;
        }

        double weight(double x) {
            switch (this) {
                case BOX:
                    return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
                case BILINEAR:
                    x = Math.abs(x);
                    return x < 1.0 ? 1.0 - x : 0.0;
                case HAMMING:
                    x = Math.abs(x);
                    if (x == 0.0) {
                        return 1.0;
                    }
                    if (x >= 1.0) {
                        return 0.0;
                    }
                    x = x * Math.PI;
                    return Math.sin(x) / x * (0.54f + 0.46f * Math.cos(x));
                case BICUBIC: {
                    final double a = -0.5;
                    x = Math.abs(x);
                    if (x < 1.0) {
                        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                    }
                    if (x < 2.0) {
                        return (((x - 5) * x + 8) * x - 4) * a;
                    }
                    return 0.0;
                }
                case LANCZOS:
                    return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
                default:
                    throw new AssertionError(this);
            }
        }

        private static double sinc(double x) {
            if (x == 0.0) {
                return 1.0;
            }
            x = x * Math.PI;
            return Math.sin(x) / x;
        }
    }

    private PillowResize() {
    }

    /**
     * Resizes 8-bit channel planes (values 0..255, row by row), all of the same size, with the same coefficients.
     *
     * @return planes of {@code outWidth × outHeight}; the input planes when the size does not change
     */
    static int[][] resize(int[][] planes, int width, int height, int outWidth, int outHeight, Filter filter) {
        int[][] cur = planes;
        int curWidth = width;
        if (outWidth != width) {
            Coefficients c = coefficients(width, outWidth, filter);
            int[][] next = new int[planes.length][];
            for (int i = 0; i < planes.length; i++) {
                next[i] = horizontal(cur[i], width, height, outWidth, c);
            }
            cur = next;
            curWidth = outWidth;
        }
        if (outHeight != height) {
            Coefficients c = coefficients(height, outHeight, filter);
            int[][] next = new int[planes.length][];
            int[] acc = new int[curWidth];
            for (int i = 0; i < planes.length; i++) {
                next[i] = vertical(cur[i], curWidth, outHeight, c, acc);
            }
            cur = next;
        }
        return cur;
    }

    /**
     * Resizes a packed RGB image into three 8-bit planes without first copying it into planes: the
     * horizontal pass reads each channel from the packed pixels (at full resolution that copy was the
     * largest allocation per masked image).
     */
    static int[][] resize(RgbImage image, int outWidth, int outHeight, Filter filter) {
        int width = image.width();
        int height = image.height();
        if (outWidth == width) {
            return resize(planes(image), width, height, outWidth, outHeight, filter);
        }
        Coefficients c = coefficients(width, outWidth, filter);
        int[][] cur = new int[3][];
        for (int ch = 0; ch < 3; ch++) {
            cur[ch] = horizontalPacked(image, 16 - 8 * ch, outWidth, c);
        }
        if (outHeight == height) {
            return cur;
        }
        Coefficients cv = coefficients(height, outHeight, filter);
        int[] acc = new int[outWidth];
        for (int ch = 0; ch < 3; ch++) {
            cur[ch] = vertical(cur[ch], outWidth, outHeight, cv, acc);
        }
        return cur;
    }

    /** The three 8-bit planes (R, G, B) of a packed image. */
    static int[][] planes(RgbImage image) {
        int n = image.pixelCount();
        int[][] planes = new int[3][n];
        for (int i = 0; i < n; i++) {
            int p = image.rgbAt(i);
            planes[0][i] = (p >>> 16) & 0xFF;
            planes[1][i] = (p >>> 8) & 0xFF;
            planes[2][i] = p & 0xFF;
        }
        return planes;
    }

    /** {@link #horizontal} over one channel ({@code shift} 16, 8 or 0) of packed pixels. */
    private static int[] horizontalPacked(RgbImage image, int shift, int outWidth, Coefficients c) {
        int width = image.width();
        int height = image.height();
        int[] out = new int[outWidth * height];
        int ksize = c.ksize();
        int[] first = c.first();
        int[] count = c.count();
        int[] k = c.k();
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int outRow = y * outWidth;
            for (int xx = 0; xx < outWidth; xx++) {
                int base = xx * ksize;
                int from = row + first[xx];
                int acc = HALF;
                for (int x = 0, n = count[xx]; x < n; x++) {
                    acc += ((image.rgbAt(from + x) >>> shift) & 0xFF) * k[base + x];
                }
                out[outRow + xx] = clip8(acc);
            }
        }
        return out;
    }

    /** Fixed-point coefficients of one axis: for output i, taps {@code k[i*ksize .. +count[i]]} from {@code first[i]}. */
    private record Coefficients(int ksize, int[] first, int[] count, int[] k) {
    }

    private static Coefficients coefficients(int inSize, int outSize, Filter filter) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support * filterScale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] k = new int[outSize * ksize];
        double[] w = new double[ksize];
        double ss = 1.0 / filterScale;
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            double sum = 0.0;
            for (int x = 0; x < xmax; x++) {
                w[x] = filter.weight((x + xmin - center + 0.5) * ss);
                sum += w[x];
            }
            for (int x = 0; x < xmax; x++) {
                double v = sum != 0.0 ? w[x] / sum : w[x];
                k[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS)) : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            first[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coefficients(ksize, first, count, k);
    }

    private static int[] horizontal(int[] src, int width, int height, int outWidth, Coefficients c) {
        int[] out = new int[outWidth * height];
        int ksize = c.ksize();
        int[] first = c.first();
        int[] count = c.count();
        int[] k = c.k();
        // nonZero[x] = non-zero pixels before column x of the current row: masked (black) images are mostly
        // zeros, and a window of zeros gives clip8(HALF) = 0 exactly, so its taps need not be summed
        int[] nonZero = new int[width + 1];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int outRow = y * outWidth;
            for (int x = 0; x < width; x++) {
                nonZero[x + 1] = nonZero[x] + (src[row + x] != 0 ? 1 : 0);
            }
            for (int xx = 0; xx < outWidth; xx++) {
                int n = count[xx];
                if (nonZero[first[xx] + n] == nonZero[first[xx]]) {
                    continue; // out[] is already 0
                }
                int base = xx * ksize;
                int from = row + first[xx];
                int acc = HALF;
                for (int x = 0; x < n; x++) {
                    acc += src[from + x] * k[base + x];
                }
                out[outRow + xx] = clip8(acc);
            }
        }
        return out;
    }

    private static int[] vertical(int[] src, int width, int outHeight, Coefficients c, int[] acc) {
        int[] out = new int[width * outHeight];
        int ksize = c.ksize();
        for (int yy = 0; yy < outHeight; yy++) {
            java.util.Arrays.fill(acc, HALF);
            int base = yy * ksize;
            int ymin = c.first()[yy];
            for (int y = 0, n = c.count()[yy]; y < n; y++) {
                int kk = c.k()[base + y];
                int row = (ymin + y) * width;
                for (int x = 0; x < width; x++) {
                    acc[x] += src[row + x] * kk;
                }
            }
            int outRow = yy * width;
            for (int x = 0; x < width; x++) {
                out[outRow + x] = clip8(acc[x]);
            }
        }
        return out;
    }

    private static int clip8(int v) {
        int s = v >> PRECISION_BITS;
        return s < 0 ? 0 : Math.min(s, 255);
    }
}
