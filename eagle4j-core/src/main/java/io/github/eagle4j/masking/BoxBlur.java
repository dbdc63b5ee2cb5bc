package io.github.eagle4j.masking;

/**
 * A strong, deterministic blur for {@link io.github.eagle4j.Fill#BLUR}: three passes of a separable box
 * filter of radius r (a close approximation of a Gaussian with σ ≈ √(r(r+1)) ≈ r + ½), edges clamped,
 * integer arithmetic with rounding after every pass.
 */
final class BoxBlur {
    private BoxBlur() {
    }

    /** The radius used for an image: {@code max(1, round(min(W, H) / 16))}, e.g. 30 for 640×480. */
    static int radius(int width, int height) {
        return Math.max(1, Math.round(Math.min(width, height) / 16.0f));
    }

    /** Blurs packed {@code 0xRRGGBB} pixels; returns a new array. */
    static int[] blur(int width, int height, int[] rgb, int radius) {
        int n = width * height;
        int[][] channels = new int[3][n];
        for (int i = 0; i < n; i++) {
            int p = rgb[i];
            channels[0][i] = (p >>> 16) & 0xFF;
            channels[1][i] = (p >>> 8) & 0xFF;
            channels[2][i] = p & 0xFF;
        }
        int[] tmp = new int[n];
        for (int[] c : channels) {
            for (int pass = 0; pass < 3; pass++) {
                horizontal(c, tmp, width, height, radius);
                vertical(tmp, c, width, height, radius);
            }
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (channels[0][i] << 16) | (channels[1][i] << 8) | channels[2][i];
        }
        return out;
    }

    private static void horizontal(int[] src, int[] dst, int width, int height, int r) {
        int window = 2 * r + 1;
        int half = window / 2;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int sum = 0;
            for (int k = -r; k <= r; k++) {
                sum += src[row + clamp(k, width)];
            }
            for (int x = 0; x < width; x++) {
                dst[row + x] = (sum + half) / window;
                sum += src[row + clamp(x + r + 1, width)] - src[row + clamp(x - r, width)];
            }
        }
    }

    private static void vertical(int[] src, int[] dst, int width, int height, int r) {
        int window = 2 * r + 1;
        int half = window / 2;
        for (int x = 0; x < width; x++) {
            int sum = 0;
            for (int k = -r; k <= r; k++) {
                sum += src[clamp(k, height) * width + x];
            }
            for (int y = 0; y < height; y++) {
                dst[y * width + x] = (sum + half) / window;
                sum += src[clamp(y + r + 1, height) * width + x] - src[clamp(y - r, height) * width + x];
            }
        }
    }

    private static int clamp(int i, int length) {
        return i < 0 ? 0 : (i >= length ? length - 1 : i);
    }
}
