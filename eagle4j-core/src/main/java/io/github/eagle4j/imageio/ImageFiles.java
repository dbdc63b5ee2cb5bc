package io.github.eagle4j.imageio;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageOutputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Reads images into {@link RgbImage} and writes PNGs.
 *
 * <p>Reading accepts whatever {@code javax.imageio} decodes: PNG, JPEG, BMP, GIF (first frame), also TIFF and
 * WBMP. Conversion to 8-bit RGB gives the pixels Pillow's {@code Image.open(f).convert("RGB")} gives, which is what
 * the Hugging Face image processors (and the servers' image loaders) feed the model:
 * <ul>
 *   <li>grayscale: R = G = B = the stored value (no gamma conversion); 1, 2 and 4-bit values are scaled to 0..255;</li>
 *   <li>palette: the palette's RGB;</li>
 *   <li>16-bit RGB, RGBA and grey-with-alpha samples keep their high byte ({@code v >> 8}); 16-bit grey without alpha
 *       is clipped at 255 as Pillow clips it (a 16-bit grey photograph reads nearly white: save it as 8 bits);</li>
 *   <li>alpha is dropped: every pixel keeps its stored colour, whatever its opacity;</li>
 *   <li>embedded colour profiles (JPEG APP2 ICC, PNG {@code iCCP}) are ignored: samples are used as stored;
 *       JPEGs are converted from YCbCr with libjpeg's integer arithmetic and CMYK JPEGs as Pillow reads them
 *       ({@link JpegColours});</li>
 *   <li>EXIF orientation is not applied: pixels are used in stored order.</li>
 * </ul>
 * Every reading failure is an {@link InvalidInputException} with a one-line message that names the file:
 * missing file, a directory, an empty file, an unsupported, corrupt or truncated file, or an image over 100
 * megapixels.
 *
 * <p>Writing goes through a temporary file in the target's folder that is moved over the target, so a
 * reader never sees a partial file; failures are {@link io.github.eagle4j.EagleException}s naming the file.
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /**
     * Reads an image file as 8-bit RGB (see the class comment for the conversion).
     *
     * @throws InvalidInputException naming the file when it cannot be used
     */
    public static RgbImage read(Path file) {
        return read(file, ImageDecoder.MAX_PIXELS);
    }

    /** As {@link #read(Path)} with another pixel limit. */
    static RgbImage read(Path file, long maxPixels) {
        BufferedImage image = ImageDecoder.decode(file, "image file", maxPixels).image();
        return toRgb(image);
    }

    /** Converts a decoded image to 8-bit RGB as described in the class comment. */
    public static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] out = new int[Math.multiplyExact(w, h)];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int type = cm.getColorSpace().getType();
        if (cm instanceof IndexColorModel icm) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = icm.getRGB(row[x]) & 0xFFFFFF;
                }
            }
        } else if (type == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
            int[] row = new int[w];
            int bits = raster.getSampleModel().getSampleSize(0);
            // Pillow opens 16-bit grey as mode I;16 and convert("RGB") clips it; with alpha it keeps the high byte
            boolean clip = bits == 16 && !cm.hasAlpha();
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = clip ? Math.min(row[x], 255) : to8Bit(row[x], bits);
                    out[y * w + x] = (v << 16) | (v << 8) | v;
                }
            }
        } else if (cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3 && raster.getNumBands() >= 3
                && !cm.isAlphaPremultiplied()) {
            int[] bits = new int[3];
            for (int b = 0; b < 3; b++) {
                bits[b] = raster.getSampleModel().getSampleSize(b);
            }
            int[] r = new int[w];
            int[] g = new int[w];
            int[] bl = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, r);
                raster.getSamples(0, y, w, 1, 1, g);
                raster.getSamples(0, y, w, 1, 2, bl);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (to8Bit(r[x], bits[0]) << 16) | (to8Bit(g[x], bits[1]) << 8) | to8Bit(bl[x], bits[2]);
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = row[x] & 0xFFFFFF;
                }
            }
        }
        return RgbImage.adopt(w, h, out);
    }

    private static int to8Bit(int v, int bits) {
        if (bits == 8) {
            return v & 0xFF;
        }
        if (bits == 16) {
            return (v >> 8) & 0xFF; // Pillow's ;16B unpackers keep the high byte
        }
        long max = (1L << bits) - 1;
        return (int) ((v * 255L + max / 2) / max);
    }

    /**
     * Writes {@code image} as an 8-bit RGB PNG, atomically.
     *
     * @throws io.github.eagle4j.EagleException naming the file when writing fails
     */
    public static void writePng(RgbImage image, Path file) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        out.getRaster().setDataElements(0, 0, image.width(), image.height(), image.pixels());
        writePng(out, file);
    }

    /**
     * Writes an 8-bit grayscale PNG from values in {@code [0, 1]} (raster order), each stored as
     * {@code round(v·255)}: e.g. {@code attribution.png}. Atomic like {@link #writePng(RgbImage, Path)}.
     *
     * @throws IllegalArgumentException when the length is not width·height or a value is NaN or outside [0, 1]
     */
    public static void writeGrayPng(int width, int height, double[] values, Path file) {
        if (width <= 0 || height <= 0 || values.length != (long) width * height) {
            throw new IllegalArgumentException("expected " + ((long) width * height) + " values for "
                    + width + "x" + height + ", got " + values.length);
        }
        int[] samples = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!(v >= 0.0 && v <= 1.0)) {
                throw new IllegalArgumentException("value " + v + " at pixel " + i + " is outside [0, 1]");
            }
            samples[i] = (int) Math.round(v * 255.0);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        out.getRaster().setSamples(0, 0, width, height, 0, samples);
        writePng(out, file);
    }

    /** Writes any image with the JDK's PNG writer, atomically. */
    public static void writePng(BufferedImage image, Path file) {
        AtomicFiles.write(file, temp -> {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
            if (!writers.hasNext()) {
                throw new IOException("no PNG writer available");
            }
            ImageWriter writer = writers.next();
            try (ImageOutputStream out = new FileImageOutputStream(temp.toFile())) {
                writer.setOutput(out);
                writer.write(image);
            } finally {
                writer.dispose();
            }
        });
    }
}
