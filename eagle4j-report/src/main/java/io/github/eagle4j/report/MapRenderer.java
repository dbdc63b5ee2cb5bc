package io.github.eagle4j.report;

import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Renders attribution maps as images: the grey map and the heat overlay on the original. */
public final class MapRenderer {
    /** Opacity of the heat colours over the image. */
    private static final double HEAT_ALPHA = 0.55;
    /** Overlays of images smaller than this (longest side, pixels) are enlarged by a whole factor. */
    static final int MIN_OVERLAY_SIDE = 384;

    private MapRenderer() {
    }

    /** The map as an 8-bit grey image: 255 = most important region, 0 = least; unlabelled pixels 0. */
    public static BufferedImage attribution(RegionSet regions, double[] regionScores) {
        BufferedImage out = new BufferedImage(regions.width(), regions.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < data.length; i++) {
            int r = regions.labelAt(i);
            double v = r == RegionSet.UNLABELLED ? 0.0 : regionScores[r];
            data[i] = (byte) Math.round(255 * clamp01(v));
        }
        return out;
    }

    /**
     * The heat map blended over the image in grey (jet colours: red = most important), with a caption bar below
     * naming what was explained. The image is shown in grey under the heat so that the map's colours keep their
     * meaning over coloured objects.
     */
    public static BufferedImage overlay(RgbImage image, RegionSet regions, double[] regionScores, String caption) {
        // small images are enlarged (nearest neighbour, whole pixels) so the map and the caption stay readable
        int scale = Math.max(1, (int) Math.ceil(MIN_OVERLAY_SIDE / (double) Math.max(image.width(), image.height())));
        int w = image.width() * scale;
        int h = image.height() * scale;
        int captionHeight = caption == null || caption.isBlank() ? 0 : Math.max(18, h / 12);
        BufferedImage out = new BufferedImage(w, h + captionHeight, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = regions.label(x / scale, y / scale);
                int rgb = image.rgb(x / scale, y / scale);
                if (r != RegionSet.UNLABELLED) {
                    // over the image's grey, not its colours: red heat over a green object would read as brown
                    rgb = blend(grey(rgb), jet(clamp01(regionScores[r])), HEAT_ALPHA);
                }
                out.setRGB(x, y, rgb);
            }
        }
        if (captionHeight > 0) {
            drawCaption(out, h, captionHeight, caption);
        }
        return out;
    }

    /** The jet colour map at {@code v ∈ [0, 1]} (blue → cyan → yellow → red), packed RGB. */
    static int jet(double v) {
        double r = clamp01(1.5 - Math.abs(4 * v - 3));
        double g = clamp01(1.5 - Math.abs(4 * v - 2));
        double b = clamp01(1.5 - Math.abs(4 * v - 1));
        return ((int) Math.round(r * 255) << 16) | ((int) Math.round(g * 255) << 8) | (int) Math.round(b * 255);
    }

    /** The pixel's luma (Rec. 601) as a grey, packed RGB. */
    static int grey(int rgb) {
        int y = (int) Math.round(0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255));
        return (y << 16) | (y << 8) | y;
    }

    private static int blend(int base, int top, double alpha) {
        int r = (int) Math.round(((base >> 16) & 255) * (1 - alpha) + ((top >> 16) & 255) * alpha);
        int g = (int) Math.round(((base >> 8) & 255) * (1 - alpha) + ((top >> 8) & 255) * alpha);
        int b = (int) Math.round((base & 255) * (1 - alpha) + (top & 255) * alpha);
        return (r << 16) | (g << 8) | b;
    }

    private static void drawCaption(BufferedImage out, int top, int height, String caption) {
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, top, out.getWidth(), height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, height - 6)));
            g.drawString(caption, 3, top + height - 5);
        } catch (RuntimeException | Error e) {
            // A machine without fonts cannot draw text; the map itself is still useful.
        } finally {
            g.dispose();
        }
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }
}
