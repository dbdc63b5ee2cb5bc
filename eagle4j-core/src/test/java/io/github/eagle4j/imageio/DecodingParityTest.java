package io.github.eagle4j.imageio;

import io.github.eagle4j.RgbImage;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file under {@code fixtures/goldens/decoding} (made by {@code fixtures/decoding.py}) reads as exactly the pixels
 * Pillow's {@code convert("RGB")} gives: JPEGs with and without ICC profiles, progressive, Adobe RGB components, grey,
 * CMYK, an EXIF orientation, and PNGs of 1 to 16 bits with palettes, transparency, alpha and an {@code iCCP} chunk.
 */
class DecodingParityTest {
    static final Path DIR = Path.of("..", "fixtures", "goldens", "decoding");
    static final String GOLDEN = ".rgb.png";

    static List<Path> inputs() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(GOLDEN)).sorted().toList();
        }
    }

    static int[] golden(Path input) throws IOException {
        BufferedImage g = ImageIO.read(DIR.resolve(input.getFileName() + GOLDEN).toFile());
        return g.getRGB(0, 0, g.getWidth(), g.getHeight(), null, 0, g.getWidth());
    }

    static int maxChannelDifference(int[] a, int[] b) {
        int d = 0;
        for (int i = 0; i < a.length; i++) {
            for (int s = 0; s <= 16; s += 8) {
                d = Math.max(d, Math.abs(((a[i] >> s) & 0xFF) - ((b[i] >> s) & 0xFF)));
            }
        }
        return d;
    }

    @Test
    void everyFixtureReadsAsPillowsConvertRgb() throws IOException {
        List<Path> inputs = inputs();
        assertThat(inputs).hasSizeGreaterThanOrEqualTo(19);
        for (Path input : inputs) {
            RgbImage image = ImageFiles.read(input);
            int[] expected = golden(input);
            assertThat(image.pixels().length).as("%s", input.getFileName()).isEqualTo(expected.length);
            assertThat(maxChannelDifference(image.pixels(), expected)).as("%s", input.getFileName()).isZero();
        }
    }

    @Test
    void javasOwnDecoderWouldApplyTheIccProfileThatPillowIgnores() throws IOException {
        Path file = DIR.resolve("ycbcr-420-icc.jpg");
        BufferedImage java = ImageIO.read(file.toFile());
        int[] converted = java.getRGB(0, 0, java.getWidth(), java.getHeight(), null, 0, java.getWidth());
        assertThat(maxChannelDifference(converted, golden(file))).isGreaterThan(30);
        // the profile is the only difference between these two files' pixels as Pillow reads them
        assertThat(ImageFiles.read(file).pixels()).containsExactly(ImageFiles.read(DIR.resolve("ycbcr-420.jpg")).pixels());
    }

    @Test
    void exifOrientationIsNotApplied() throws IOException {
        RgbImage image = ImageFiles.read(DIR.resolve("exif-orientation-6.jpg"));
        RgbImage plain = ImageFiles.read(DIR.resolve("ycbcr-420.jpg"));
        assertThat(image.width()).isEqualTo(plain.width());
        assertThat(image.pixels()).containsExactly(plain.pixels());
    }

    @Test
    void sixteenBitGreyIsClippedAsPillowClipsIt() {
        RgbImage image = ImageFiles.read(DIR.resolve("grey16.png"));
        assertThat(new int[] {image.rgb(0, 0), image.rgb(1, 0), image.rgb(2, 0), image.rgb(3, 0)})
                .containsExactly(0x000000, 0xC8C8C8, 0xFFFFFF, 0xFFFFFF);
    }
}
