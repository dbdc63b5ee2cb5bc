package io.github.eagle4j.imageio;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/** Helpers that write test images with the JDK's encoders and craft broken files. */
final class TestFiles {
    private TestFiles() {
    }

    static Path write(BufferedImage image, String format, Path file) throws IOException {
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no writer for " + format + " and " + image);
        }
        return file;
    }

    static BufferedImage gray8(int w, int h, int... values) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, w, h, 0, values);
        return image;
    }

    static BufferedImage gray16(int w, int h, int... values) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSamples(0, 0, w, h, 0, values);
        return image;
    }

    static BufferedImage rgb(int w, int h, int... packed) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, w, h, packed, 0, w);
        return image;
    }

    /** A PNG whose header declares the given size, followed by no usable image data. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static Path truncated(Path valid, Path target) throws IOException {
        byte[] bytes = Files.readAllBytes(valid);
        return Files.write(target, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }
}
