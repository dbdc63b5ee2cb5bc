package io.github.eagle4j.imageio;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelMapsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripThroughA16BitGrayscalePng() throws IOException {
        int w = 20;
        int h = 17;
        int[] labels = new int[w * h];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i; // 340 regions: ids above 255 need 16 bits
        }
        RegionSet regions = RegionSet.fromLabels(w, h, labels);
        Path file = dir.resolve("regions.png");
        LabelMaps.write(regions, file);

        BufferedImage raw = ImageIO.read(file.toFile());
        assertThat(raw.getType()).isEqualTo(BufferedImage.TYPE_USHORT_GRAY);
        LabelMaps.LabelMap map = LabelMaps.read(file);
        assertThat(map.width()).isEqualTo(w);
        assertThat(map.height()).isEqualTo(h);
        assertThat(map.labels()).containsExactly(labels);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void eightBitGrayscaleIsAccepted() throws IOException {
        Path file = TestFiles.write(TestFiles.gray8(3, 1, 0, 2, 1), "png", dir.resolve("r8.png"));
        assertThat(LabelMaps.read(file).labels()).containsExactly(0, 2, 1);
    }

    @Test
    void otherKindsOfImagesAreRefusedWithTheFileNamed() throws IOException {
        assertRefused(TestFiles.write(TestFiles.rgb(2, 1, 0, 0x010101), "png", dir.resolve("rgb.png")), "colour");
        assertRefused(TestFiles.write(TestFiles.gray8(2, 1, 0, 1), "jpeg", dir.resolve("r.jpg")), "JPEG");
        BufferedImage grayAlpha = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        assertRefused(TestFiles.write(grayAlpha, "png", dir.resolve("alpha.png")), "alpha");
        BufferedImage binary = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
        assertRefused(TestFiles.write(binary, "png", dir.resolve("binary.png")), "1-bit samples");
        IndexColorModel palette = new IndexColorModel(8, 2, new byte[] {0, 9}, new byte[] {0, 9}, new byte[] {0, 5});
        assertRefused(TestFiles.write(new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette), "png",
                dir.resolve("palette.png")), "palette");
        assertRefused(dir.resolve("missing.png"), "does not exist");
        assertRefused(Files.createFile(dir.resolve("empty.png")), "is empty");
        assertRefused(Files.write(dir.resolve("junk.png"), new byte[] {1, 2, 3, 4, 5}), "not in a supported image format");
    }

    @Test
    void unlabelledPixelsCannotBeWritten() {
        RegionSet regions = RegionSet.fromLabels(3, 1, new int[] {0, RegionSet.UNLABELLED, 1});
        assertThatThrownBy(() -> LabelMaps.write(regions, dir.resolve("x.png")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unlabelled");
    }

    private static void assertRefused(Path file, String reason) {
        assertThatThrownBy(() -> LabelMaps.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("regions file " + file)
                .hasMessageContaining(reason);
    }
}
