package io.github.eagle4j.imageio;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The label-map file format of {@code regions.png} and {@code --regions-file} (docs/cli.md): a
 * grayscale PNG of the image's size whose pixel value is the region id. Written as 16-bit; read as 16-bit or,
 * for convenience, 8-bit grayscale (ids up to 255). No alpha, no palette, no colour.
 */
public final class LabelMaps {
    /** Region ids a 16-bit label map can hold: {@code 0..65535}. */
    public static final int MAX_REGIONS = 65536;

    /**
     * The raw content of a label-map file.
     *
     * @param width  pixels per row
     * @param height rows
     * @param labels the stored value of every pixel in raster order (not validated as dense ids; the array
     *               is shared, not copied)
     */
    public record LabelMap(int width, int height, int[] labels) {
    }

    private LabelMaps() {
    }

    /**
     * Writes {@code regions} as a 16-bit grayscale PNG, value = region id, atomically (temporary file in the
     * same folder, then moved over {@code file}).
     *
     * @throws IllegalArgumentException when some pixel is unlabelled or there are more than 65536 regions
     * @throws io.github.eagle4j.EagleException naming the file when writing fails
     */
    public static void write(RegionSet regions, Path file) {
        if (regions.unlabelledPixelCount() > 0) {
            throw new IllegalArgumentException("a label map cannot store unlabelled pixels; "
                    + regions.unlabelledPixelCount() + " pixels of " + regions + " carry no region id");
        }
        if (regions.regionCount() > MAX_REGIONS) {
            throw new IllegalArgumentException("a 16-bit label map holds at most " + MAX_REGIONS + " regions, got "
                    + regions.regionCount());
        }
        BufferedImage image = new BufferedImage(regions.width(), regions.height(), BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSamples(0, 0, regions.width(), regions.height(), 0, regions.labels());
        ImageFiles.writePng(image, file);
    }

    /**
     * Reads a label-map file.
     *
     * @throws InvalidInputException naming the file when it is missing, empty, not a PNG, not single-channel
     *                               grayscale, or not 8- or 16-bit
     */
    public static LabelMap read(Path file) {
        String what = "regions file";
        ImageDecoder.Decoded decoded = ImageDecoder.decode(file, what);
        if (!decoded.format().equals("png")) {
            throw new InvalidInputException(what + " " + file + " is a " + decoded.format().toUpperCase(Locale.ROOT)
                    + " file; expected a 16-bit grayscale PNG");
        }
        BufferedImage image = decoded.image();
        ColorModel cm = image.getColorModel();
        int bits = image.getRaster().getSampleModel().getSampleSize(0);
        if (cm instanceof IndexColorModel && bits < 8) {
            throw new InvalidInputException(what + " " + file + " has " + bits
                    + "-bit samples; expected a 16-bit (or 8-bit) grayscale PNG");
        }
        if (cm instanceof IndexColorModel) {
            throw new InvalidInputException(what + " " + file + " is a palette PNG; expected a 16-bit grayscale PNG");
        }
        if (cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY || cm.getNumComponents() != 1) {
            String kind = cm.hasAlpha() ? (cm.getNumColorComponents() == 1 ? "grayscale with alpha" : "colour with alpha") : "colour";
            throw new InvalidInputException(what + " " + file + " is a " + kind
                    + " PNG; expected a 16-bit grayscale PNG without alpha");
        }
        if (bits != 16 && bits != 8) {
            throw new InvalidInputException(what + " " + file + " has " + bits
                    + "-bit samples; expected a 16-bit (or 8-bit) grayscale PNG");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] labels = image.getRaster().getSamples(0, 0, w, h, 0, new int[Math.multiplyExact(w, h)]);
        return new LabelMap(w, h, labels);
    }
}
