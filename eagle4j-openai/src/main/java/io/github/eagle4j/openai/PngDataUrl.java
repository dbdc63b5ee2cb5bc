package io.github.eagle4j.openai;

import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;

/** Images as {@code data:image/png;base64,...} URLs: lossless, so the server sees exactly the masked pixels. */
final class PngDataUrl {
    static final String PREFIX = "data:image/png;base64,";

    private PngDataUrl() {
    }

    /** The PNG bytes of an image (8-bit RGB). */
    static byte[] png(RgbImage image) {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        img.getRaster().setDataElements(0, 0, image.width(), image.height(), image.pixels());
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.pixelCount() + 1024);
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new ScoringException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new ScoringException("cannot encode an image as PNG: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** The data URL of an image. */
    static String of(RgbImage image) {
        return PREFIX + Base64.getEncoder().encodeToString(png(image));
    }

    /** The base64 PNG bytes of each image, in order (the frames of a video data URL). */
    static java.util.List<String> base64(java.util.List<RgbImage> images) {
        return images.stream().map(i -> Base64.getEncoder().encodeToString(png(i))).toList();
    }

    /** The data URLs of several images, in order. */
    static java.util.List<String> of(java.util.List<RgbImage> images) {
        return images.stream().map(PngDataUrl::of).toList();
    }
}
