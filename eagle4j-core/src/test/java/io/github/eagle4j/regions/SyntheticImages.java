package io.github.eagle4j.regions;

import io.github.eagle4j.RgbImage;

import java.util.Random;

/** Synthetic test images with fixed seeds: flat, gradient, noise, shapes on texture, a smooth "photo". */
final class SyntheticImages {
    private SyntheticImages() {
    }

    static int rgb(int r, int g, int b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static RgbImage flat(int w, int h) {
        return RgbImage.filled(w, h, rgb(90, 140, 200));
    }

    static RgbImage gradient(int w, int h) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = rgb(255 * x / Math.max(1, w - 1), 255 * y / Math.max(1, h - 1), 128);
            }
        }
        return RgbImage.of(w, h, px);
    }

    static RgbImage noise(int w, int h) {
        Random random = new Random(42);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = random.nextInt(0x1000000);
        }
        return RgbImage.of(w, h, px);
    }

    /** Coloured discs and rectangles over a noisy checker texture. */
    static RgbImage shapes(int w, int h) {
        Random random = new Random(7);
        int[] px = new int[w * h];
        int cell = Math.max(2, Math.min(w, h) / 24);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = ((x / cell + y / cell) % 2 == 0) ? 150 : 120;
                int n = random.nextInt(21) - 10;
                px[y * w + x] = rgb(base + n, base + 5 + n, base - 10 + n);
            }
        }
        int[] colours = {rgb(220, 30, 30), rgb(30, 180, 40), rgb(40, 60, 220), rgb(240, 220, 30), rgb(160, 40, 200)};
        for (int s = 0; s < 8; s++) {
            int cx = random.nextInt(w);
            int cy = random.nextInt(h);
            int r = Math.max(2, Math.min(w, h) / 10 + random.nextInt(Math.max(1, Math.min(w, h) / 8)));
            int colour = colours[s % colours.length];
            boolean disc = s % 2 == 0;
            for (int y = Math.max(0, cy - r); y < Math.min(h, cy + r); y++) {
                for (int x = Math.max(0, cx - r); x < Math.min(w, cx + r); x++) {
                    int dx = x - cx;
                    int dy = y - cy;
                    if (!disc || dx * dx + dy * dy <= r * r) {
                        px[y * w + x] = colour;
                    }
                }
            }
        }
        return RgbImage.of(w, h, px);
    }

    /** Smooth low-frequency colour fields, like an out-of-focus photo. */
    static RgbImage smoothPhoto(int w, int h) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (double) x / w;
                double v = (double) y / h;
                int r = (int) (128 + 100 * Math.sin(5.1 * u + 1.3 * v) * Math.cos(2.3 * v));
                int g = (int) (128 + 90 * Math.sin(3.7 * v + 2.0 * u + 0.5));
                int b = (int) (120 + 80 * Math.cos(4.4 * u * v + 3.0 * u));
                px[y * w + x] = rgb(r, g, b);
            }
        }
        return RgbImage.of(w, h, px);
    }

    /** A sharp red square on uniform grey. */
    static RgbImage redSquareOnGrey(int w, int h, int x0, int y0, int side) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
                px[y * w + x] = in ? rgb(220, 20, 20) : rgb(128, 128, 128);
            }
        }
        return RgbImage.of(w, h, px);
    }
}
