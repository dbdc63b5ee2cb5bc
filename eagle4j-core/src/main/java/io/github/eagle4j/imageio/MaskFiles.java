package io.github.eagle4j.imageio;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;

import java.nio.file.Path;

/** Ground-truth object masks for the pointing game: any image file, non-zero pixels are the object. */
public final class MaskFiles {
    private MaskFiles() {
    }

    /**
     * Reads a mask that must have the image's size.
     *
     * @return per pixel (raster order), true where any channel is non-zero
     * @throws InvalidInputException naming the file when it cannot be read, has another size or is empty
     */
    public static boolean[] read(Path file, int width, int height) {
        RgbImage mask = ImageFiles.read(file);
        if (mask.width() != width || mask.height() != height) {
            throw new InvalidInputException("mask " + file + " is " + mask.width() + "x" + mask.height()
                    + " but the image is " + width + "x" + height);
        }
        boolean[] inside = new boolean[mask.pixelCount()];
        boolean any = false;
        for (int i = 0; i < inside.length; i++) {
            inside[i] = mask.rgbAt(i) != 0;
            any |= inside[i];
        }
        if (!any) {
            throw new InvalidInputException("mask " + file + " has no non-zero pixel");
        }
        return inside;
    }
}
