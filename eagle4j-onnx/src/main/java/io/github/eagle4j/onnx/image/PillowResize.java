package io.github.eagle4j.onnx.image;

import io.github.eagle4j.RgbImage;

/**
 * Resizes 8-bit image channels with the same arithmetic as Pillow's {@code Image.resize} (separable convolution,
 * horizontal pass first, 22-bit fixed-point coefficients, uint8 rounding after each pass), so that pixel values
 * match a Hugging Face image processor running on the PIL backend bit for bit.
 */
final class PillowResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    /** The rounding constant every fixed-point sum starts from. */
    static final int HALF = 1 << (PRECISION_BITS - 1);

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
        return resizeBox(image, outWidth, outHeight, new Box(0, 0, outWidth, outHeight), filter);
    }

    /**
     * A box of the output: columns {@code left .. left+width-1}, rows {@code top .. top+height-1}.
     */
    record Box(int left, int top, int width, int height) {
    }

    /**
     * The pixels inside {@code box} of the image resized to {@code outWidth × outHeight}, as three 8-bit planes of
     * the box's size; equal to resizing the whole image and cropping. The filter is separable, so only the box's
     * columns need the horizontal pass and only the rows their vertical windows read; a centre crop of a 4:3 image
     * thus skips a quarter of the horizontal work and, with it, the input rows no kept output reads.
     */
    static int[][] resizeBox(RgbImage image, int outWidth, int outHeight, Box box, Filter filter) {
        Coefficients h = axis(image.width(), outWidth, box.left(), box.width(), filter);
        Coefficients v = axis(image.height(), outHeight, box.top(), box.height(), filter);
        int rowFrom = v.from();
        int rows = v.to() - rowFrom;
        int[][] planes = new int[3][];
        int[] acc = new int[box.width()];
        for (int ch = 0; ch < 3; ch++) {
            int[] horizontal = horizontalPacked(image, 16 - 8 * ch, rowFrom, rows, h);
            planes[ch] = vertical(horizontal, box.width(), box.height(), v.shifted(-rowFrom), acc);
        }
        return planes;
    }

    /**
     * The coefficients of outputs {@code from .. from+count-1} of one axis resized from {@code inSize} to
     * {@code outSize}. An axis that keeps its size gets one tap of weight 1.0 per output, which gives back the input
     * exactly ({@code (p << 22) + HALF >> 22 == p}), as Pillow's skipping of that pass does.
     */
    static Coefficients axis(int inSize, int outSize, int from, int count, Filter filter) {
        if (from < 0 || count < 1 || from + count > outSize) {
            throw new IllegalArgumentException("outputs " + from + ".." + (from + count - 1) + " outside 0.." + (outSize - 1));
        }
        if (inSize == outSize) {
            int[] first = new int[count];
            int[] ones = new int[count];
            int[] k = new int[count];
            for (int i = 0; i < count; i++) {
                first[i] = from + i;
                ones[i] = 1;
                k[i] = 1 << PRECISION_BITS;
            }
            return new Coefficients(1, first, ones, k);
        }
        return coefficients(inSize, outSize, filter).slice(from, count);
    }

    /** The three 8-bit planes (R, G, B) of a packed image. */
    static int[][] planes(RgbImage image) {
        int width = image.width();
        int n = image.pixelCount();
        int[][] planes = new int[3][n];
        int[] line = new int[width];
        for (int row = 0; row < n; row += width) {
            image.copyPixels(row, line, 0, width);
            for (int x = 0; x < width; x++) {
                int p = line[x];
                planes[0][row + x] = (p >>> 16) & 0xFF;
                planes[1][row + x] = (p >>> 8) & 0xFF;
                planes[2][row + x] = p & 0xFF;
            }
        }
        return planes;
    }

    /**
     * {@link #horizontal} over one channel ({@code shift} 16, 8 or 0) of rows {@code rowFrom ..+rows} of packed
     * pixels, each row copied out once (reading the image pixel by pixel costs a call per tap).
     */
    private static int[] horizontalPacked(RgbImage image, int shift, int rowFrom, int rows, Coefficients c) {
        int width = image.width();
        int outWidth = c.first().length;
        int[] out = new int[outWidth * rows];
        int ksize = c.ksize();
        int[] first = c.first();
        int[] count = c.count();
        int[] k = c.k();
        int[] line = new int[width];
        for (int y = 0; y < rows; y++) {
            image.copyPixels((rowFrom + y) * width, line, 0, width);
            int outRow = y * outWidth;
            for (int xx = 0; xx < outWidth; xx++) {
                int base = xx * ksize;
                int from = first[xx];
                int acc = HALF;
                for (int x = 0, n = count[xx]; x < n; x++) {
                    acc += ((line[from + x] >>> shift) & 0xFF) * k[base + x];
                }
                out[outRow + xx] = clip8(acc);
            }
        }
        return out;
    }

    /** Fixed-point coefficients of one axis: for output i, taps {@code k[i*ksize .. +count[i]]} from {@code first[i]}. */
    record Coefficients(int ksize, int[] first, int[] count, int[] k) {
        /** Outputs {@code from .. from+n-1} only. */
        Coefficients slice(int from, int n) {
            if (from == 0 && n == first.length) {
                return this;
            }
            return new Coefficients(ksize, java.util.Arrays.copyOfRange(first, from, from + n),
                    java.util.Arrays.copyOfRange(count, from, from + n),
                    java.util.Arrays.copyOfRange(k, from * ksize, (from + n) * ksize));
        }

        /** The same taps read {@code delta} inputs further on. */
        Coefficients shifted(int delta) {
            int[] f = first.clone();
            for (int i = 0; i < f.length; i++) {
                f[i] += delta;
            }
            return new Coefficients(ksize, f, count, k);
        }

        /** The first input any output reads. */
        int from() {
            int m = Integer.MAX_VALUE;
            for (int f : first) {
                m = Math.min(m, f);
            }
            return m;
        }

        /** One past the last input any output reads. */
        int to() {
            int m = 0;
            for (int i = 0; i < first.length; i++) {
                m = Math.max(m, first[i] + count[i]);
            }
            return m;
        }
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

    /** The vertical pass over {@code width} columns into {@code outHeight} rows ({@code c} indexes rows of {@code src}). */
    static int[] vertical(int[] src, int width, int outHeight, Coefficients c, int[] acc) {
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

    /** A fixed-point sum (with the rounding half) as Pillow's uint8: {@code clip8(HALF) == 0}, so all-zero taps give 0. */
    static int clip8(int v) {
        int s = v >> PRECISION_BITS;
        return s < 0 ? 0 : Math.min(s, 255);
    }
}
