package io.github.eagle4j.onnx;

/**
 * Resizes 8-bit RGB pixels with the same arithmetic as Pillow's {@code Image.resize} (separable convolution,
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
     * Resizes packed {@code 0xRRGGBB} pixels.
     *
     * @return packed pixels of {@code outWidth × outHeight}
     */
    static int[] resize(int[] src, int width, int height, int outWidth, int outHeight, Filter filter) {
        int[] cur = src;
        int curWidth = width;
        if (outWidth != width) {
            cur = horizontal(cur, width, height, outWidth, coefficients(width, outWidth, filter));
            curWidth = outWidth;
        }
        if (outHeight != height) {
            cur = vertical(cur, curWidth, outHeight, coefficients(height, outHeight, filter));
        }
        return cur == src ? src.clone() : cur;
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
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int xx = 0; xx < outWidth; xx++) {
                int base = xx * c.ksize;
                int from = row + c.first[xx];
                int r = HALF;
                int g = HALF;
                int b = HALF;
                for (int x = 0, n = c.count[xx]; x < n; x++) {
                    int p = src[from + x];
                    int kk = c.k[base + x];
                    r += ((p >>> 16) & 0xFF) * kk;
                    g += ((p >>> 8) & 0xFF) * kk;
                    b += (p & 0xFF) * kk;
                }
                out[y * outWidth + xx] = (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
            }
        }
        return out;
    }

    private static int[] vertical(int[] src, int width, int outHeight, Coefficients c) {
        int[] out = new int[width * outHeight];
        for (int yy = 0; yy < outHeight; yy++) {
            int base = yy * c.ksize;
            int ymin = c.first[yy];
            int n = c.count[yy];
            for (int x = 0; x < width; x++) {
                int r = HALF;
                int g = HALF;
                int b = HALF;
                for (int y = 0; y < n; y++) {
                    int p = src[(ymin + y) * width + x];
                    int kk = c.k[base + y];
                    r += ((p >>> 16) & 0xFF) * kk;
                    g += ((p >>> 8) & 0xFF) * kk;
                    b += (p & 0xFF) * kk;
                }
                out[yy * width + x] = (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
            }
        }
        return out;
    }

    private static int clip8(int v) {
        int s = v >> PRECISION_BITS;
        return s < 0 ? 0 : Math.min(s, 255);
    }
}
