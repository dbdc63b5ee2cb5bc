package io.github.eagle4j.imageio;

import io.github.eagle4j.InvalidInputException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Decodes an image file with {@code javax.imageio} after checking that the file exists, is a regular
 * non-empty file and declares a sane size; every failure is an {@link InvalidInputException} whose one-line
 * message names the file. A decoder warning about a truncated file (the JDK's JPEG reader decodes a cut-off
 * JPEG with grey filling and only warns) is treated as a failure too. JPEGs are decoded to raw samples and
 * converted to RGB as Pillow does ({@link JpegColours}), so embedded ICC profiles are ignored.
 */
final class ImageDecoder {
    /** Larger images are refused before decoding. */
    static final long MAX_PIXELS = 100_000_000L;

    /** A decoded image and the reader's format name, lower case ({@code png}, {@code jpeg}, ...). */
    record Decoded(BufferedImage image, String format) {
    }

    private ImageDecoder() {
    }

    /**
     * @param what how the message calls the file, e.g. {@code "image file"}
     */
    static Decoded decode(Path file, String what) {
        return decode(file, what, MAX_PIXELS);
    }

    /** As {@link #decode(Path, String)} with another pixel limit (the fuzz test keeps its inputs small). */
    static Decoded decode(Path file, String what, long maxPixels) {
        requireNonEmptyFile(file, what);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new InvalidInputException(what + " " + file + " cannot be opened");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidInputException(what + " " + file
                        + " is not in a supported image format (PNG, JPEG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                long pixels = (long) width * height;
                if (width <= 0 || height <= 0) {
                    throw new InvalidInputException(what + " " + file + " declares an invalid size " + width + "x" + height);
                }
                if (pixels > maxPixels) {
                    throw new InvalidInputException(String.format(Locale.ROOT,
                            "%s %s is %dx%d pixels (%.1f megapixels); at most %s megapixels are supported",
                            what, file, width, height, pixels / 1e6, maxPixels % 1_000_000 == 0 ? Long.toString(maxPixels / 1_000_000)
                                    : String.format(Locale.ROOT, "%.2f", maxPixels / 1e6)));
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                BufferedImage image = format.equals("jpeg") ? jpeg(reader, what + " " + file) : reader.read(0);
                for (String warning : warnings) {
                    String lower = warning.toLowerCase(Locale.ROOT);
                    if (lower.contains("truncated") || lower.contains("premature end")) {
                        throw new InvalidInputException(what + " " + file + " is truncated: " + oneLine(warning));
                    }
                }
                return new Decoded(image, format);
            } finally {
                reader.dispose();
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InvalidInputException(what + " " + file + " is corrupt or unsupported: " + oneLine(reason), e);
        }
    }

    /**
     * A JPEG decoded to its raw samples (no colour conversion by Java, so an embedded ICC profile is not applied) and
     * converted to RGB as Pillow does ({@link JpegColours}).
     */
    private static BufferedImage jpeg(ImageReader reader, String what) throws IOException {
        Raster raw = reader.readRaster(0, null);
        JpegColours.Space space = JpegColours.space(reader.getImageMetadata(0), raw.getNumBands());
        int[] rgb = JpegColours.toRgb(raw, space, what);
        BufferedImage image = new BufferedImage(raw.getWidth(), raw.getHeight(), BufferedImage.TYPE_INT_RGB);
        image.getRaster().setDataElements(0, 0, raw.getWidth(), raw.getHeight(), rgb);
        return image;
    }

    /** Checks that {@code file} exists, is a regular file, is readable and is not empty. */
    static void requireNonEmptyFile(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(what + " " + file + " is a directory, not a file");
        }
        if (!Files.exists(file)) {
            throw new InvalidInputException(what + " " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new InvalidInputException(what + " " + file + " is not readable");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InvalidInputException(what + " " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new InvalidInputException(what + " " + file + " is empty (0 bytes)");
        }
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
