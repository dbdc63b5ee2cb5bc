package io.github.eagle4j.evaluation.output;

import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * {@code culprits.png} of a diagnosis: the culprit regions (the removed tail that corrects the answer) in their own
 * colours with a dashed yellow-and-black outline, every other pixel dimmed, with a caption bar below; images narrower than 320 px are enlarged.
 */
public final class CulpritOverlay {
    private static final int DASH_LIGHT = 0xFFE000;
    private static final int DASH_DARK = 0x000000;
    private static final double DIM = 0.6;
    private static final int MIN_WIDTH = 320;

    private CulpritOverlay() {
    }

    /** The picture: {@code culprits} (region ids) highlighted in {@code image}, with {@code caption} below. */
    public static BufferedImage render(RgbImage image, RegionSet regions, int[] culprits, String caption) {
        int w = image.width();
        int h = image.height();
        boolean[] isCulprit = new boolean[regions.regionCount()];
        for (int r : culprits) {
            isCulprit[r] = true;
        }
        boolean[] inside = new boolean[w * h];
        for (int i = 0; i < inside.length; i++) {
            int r = regions.labelAt(i);
            inside[i] = r != RegionSet.UNLABELLED && isCulprit[r];
        }
        // small images (the tiny model's 128 px scenes) are enlarged, pixel for pixel, so the caption fits
        int scale = w >= MIN_WIDTH ? 1 : (MIN_WIDTH + w - 1) / w;
        int sw = w * scale;
        int sh = h * scale;
        int captionHeight = Math.max(18, Math.min(26, sh / 16));
        BufferedImage out = new BufferedImage(sw, sh + captionHeight, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int rgb = image.rgbAt(i);
                if (inside[i]) {
                    // outlined in yellow-and-black dashes, which stand out against any object colour
                    if (edge(inside, w, h, x, y)) {
                        rgb = ((x + y) / 2) % 2 == 0 ? DASH_LIGHT : DASH_DARK;
                    }
                } else {
                    rgb = blend(rgb, 0, DIM);
                }
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        out.setRGB(x * scale + dx, y * scale + dy, rgb);
                    }
                }
            }
        }
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, sh, sw, captionHeight);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, captionHeight - 7)));
            g.drawString(caption, 3, sh + captionHeight - 5);
        } catch (RuntimeException | Error e) {
            // a machine without fonts cannot draw the caption; the highlighted regions are still there
        } finally {
            g.dispose();
        }
        return out;
    }

    private static boolean edge(boolean[] inside, int w, int h, int x, int y) {
        return x == 0 || y == 0 || x == w - 1 || y == h - 1 || !inside[y * w + x - 1] || !inside[y * w + x + 1]
                || !inside[(y - 1) * w + x] || !inside[(y + 1) * w + x];
    }

    private static int blend(int base, int top, double alpha) {
        int r = (int) Math.round(((base >> 16) & 255) * (1 - alpha) + ((top >> 16) & 255) * alpha);
        int g = (int) Math.round(((base >> 8) & 255) * (1 - alpha) + ((top >> 8) & 255) * alpha);
        int b = (int) Math.round((base & 255) * (1 - alpha) + (top & 255) * alpha);
        return (r << 16) | (g << 8) | b;
    }
}
