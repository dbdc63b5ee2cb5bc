package io.github.eagle4j.imageio;

import io.github.eagle4j.EagleException;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageFilesTest {
    @TempDir
    Path dir;

    private static final int[] FOUR = {0xFF0000, 0x00FF00, 0x0000FF, 0x123456};

    @Test
    void readsRgbPngExactly() throws IOException {
        Path file = TestFiles.write(TestFiles.rgb(2, 2, FOUR), "png", dir.resolve("a.png"));
        RgbImage image = ImageFiles.read(file);
        assertThat(image.width()).isEqualTo(2);
        assertThat(image.pixels()).containsExactly(FOUR);
    }

    @Test
    void readsJpegApproximately() throws IOException {
        int w = 32;
        int h = 16;
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % w) < w / 2 ? 0xC83232 : 0x3264C8;
        }
        Path file = TestFiles.write(TestFiles.rgb(w, h, px), "jpeg", dir.resolve("a.jpg"));
        RgbImage image = ImageFiles.read(file);
        assertThat(image.width()).isEqualTo(w);
        assertThat(image.height()).isEqualTo(h);
        assertClose(image.rgb(3, 8), 0xC83232, 12);
        assertClose(image.rgb(28, 8), 0x3264C8, 12);
    }

    @Test
    void grayscaleValuesAreCopiedToAllChannelsWithoutGammaChange() throws IOException {
        Path file = TestFiles.write(TestFiles.gray8(2, 1, 128, 7), "png", dir.resolve("g.png"));
        assertThat(ImageFiles.read(file).pixels()).containsExactly(0x808080, 0x070707);
    }

    @Test
    void sixteenBitSamplesAreCutToEightBitsAsPillowCutsThem() throws IOException {
        // grey without alpha: Pillow's I;16 -> RGB clips at 255; colour: the high byte
        Path gray = TestFiles.write(TestFiles.gray16(4, 1, 65535, 32896, 200, 0), "png", dir.resolve("g16.png"));
        assertThat(ImageFiles.read(gray).pixels()).containsExactly(0xFFFFFF, 0xFFFFFF, 0xC8C8C8, 0x000000);

        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, new int[] {65535, 0, 257 * 0x12, 0, 32896, 65535});
        Path rgb16 = TestFiles.write(new BufferedImage(cm, raster, false, null), "png", dir.resolve("c16.png"));
        assertThat(ImageFiles.read(rgb16).pixels()).containsExactly(0xFF0012, 0x0080FF);
    }

    @Test
    void alphaIsDroppedKeepingTheStoredColour() throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00FF0000);
        argb.setRGB(1, 0, 0x8000FF00);
        Path file = TestFiles.write(argb, "png", dir.resolve("alpha.png"));
        assertThat(ImageFiles.read(file).pixels()).containsExactly(0xFF0000, 0x00FF00);
    }

    @Test
    void readsPaletteBmpAndGif() throws IOException {
        IndexColorModel palette = new IndexColorModel(8, 3, new byte[] {(byte) 255, 0, 10}, new byte[] {0, (byte) 255, 20},
                new byte[] {0, 0, 30});
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {2, 0, 1});
        Path png = TestFiles.write(indexed, "png", dir.resolve("p.png"));
        assertThat(ImageFiles.read(png).pixels()).containsExactly(0x0A141E, 0xFF0000, 0x00FF00);

        Path bmp = TestFiles.write(TestFiles.rgb(2, 2, FOUR), "bmp", dir.resolve("a.bmp"));
        assertThat(ImageFiles.read(bmp).pixels()).containsExactly(FOUR);

        Path gif = TestFiles.write(indexed, "gif", dir.resolve("a.gif"));
        assertThat(ImageFiles.read(gif).pixels()).containsExactly(0x0A141E, 0xFF0000, 0x00FF00);
    }

    @Test
    void badFilesAreRefusedWithTheFileNamed() throws IOException {
        Path missing = dir.resolve("missing.png");
        assertRefused(missing, "does not exist");
        assertRefused(dir, "is a directory");
        assertRefused(Files.createFile(dir.resolve("empty.png")), "is empty");
        assertRefused(Files.writeString(dir.resolve("text.png"), "not an image at all", StandardCharsets.UTF_8),
                "not in a supported image format");
        Path valid = TestFiles.write(TestFiles.rgb(64, 64, new int[64 * 64]), "png", dir.resolve("valid.png"));
        assertRefused(TestFiles.truncated(valid, dir.resolve("truncated.png")), "corrupt");
        int[] gradient = new int[64 * 64];
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = (i % 64) * 4 << 16 | (i / 64) * 4 << 8 | 77;
        }
        Path jpeg = TestFiles.write(TestFiles.rgb(64, 64, gradient), "jpeg", dir.resolve("valid.jpg"));
        byte[] bytes = Files.readAllBytes(jpeg);
        assertRefused(Files.write(dir.resolve("cut.jpg"), java.util.Arrays.copyOf(bytes, bytes.length * 4 / 5)),
                "truncated");
        assertRefused(Files.write(dir.resolve("huge.png"), TestFiles.pngHeaderOnly(20000, 20000)), "400.0 megapixels");
    }

    private static void assertRefused(Path file, String reason) {
        assertThatThrownBy(() -> ImageFiles.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void writePngRoundTripsAndLeavesNoTemporaryFile() throws IOException {
        RgbImage image = RgbImage.of(2, 2, FOUR);
        Path file = dir.resolve("out.png");
        Files.writeString(file, "old content");
        ImageFiles.writePng(image, file);
        assertThat(ImageFiles.read(file)).isEqualTo(image);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writeGrayPngStoresRoundedValues() throws IOException {
        Path file = dir.resolve("attribution.png");
        ImageFiles.writeGrayPng(3, 1, new double[] {0.0, 0.5, 1.0}, file);
        BufferedImage read = ImageIO.read(file.toFile());
        assertThat(read.getRaster().getSampleModel().getSampleSize(0)).isEqualTo(8);
        assertThat(read.getRaster().getSamples(0, 0, 3, 1, 0, new int[3])).containsExactly(0, 128, 255);
        assertThatThrownBy(() -> ImageFiles.writeGrayPng(1, 1, new double[] {Double.NaN}, file))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writingIntoAMissingFolderFailsNamingTheFile() {
        Path file = dir.resolve("no/such/folder/out.png");
        assertThatThrownBy(() -> ImageFiles.writePng(RgbImage.filled(1, 1, 0), file))
                .isInstanceOf(EagleException.class)
                .hasMessageContaining(file.toString());
    }

    private static void assertClose(int actual, int expected, int tolerance) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int a = (actual >>> shift) & 0xFF;
            int e = (expected >>> shift) & 0xFF;
            assertThat(Math.abs(a - e)).as("channel at bit %d of %06x vs %06x", shift, actual, expected)
                    .isLessThanOrEqualTo(tolerance);
        }
    }
}
