package io.github.eagle4j.cli;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** 64×64 test images on a grey, slightly textured background, with 16×16 coloured patches, and their masks. */
final class TestImages {
    private TestImages() {
    }

    /** Writes an image with one 16×16 patch of {@code rgb} whose top-left corner is (x, y). */
    static Path patch(Path dir, String name, int x0, int y0, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                boolean inside = x >= x0 && x < x0 + 16 && y >= y0 && y < y0 + 16;
                img.setRGB(x, y, inside ? rgb : 0x9A9A9A + ((x * 7 + y * 3) % 9) * 0x010101);
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** Writes the patch's mask (255 inside). */
    static Path mask(Path dir, String name, int x0, int y0) throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = y0; y < y0 + 16; y++) {
            for (int x = x0; x < x0 + 16; x++) {
                img.getRaster().setSample(x, y, 0, 255);
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
