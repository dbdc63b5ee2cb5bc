package io.github.eagle4j.regions;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.imageio.LabelMaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelMapSegmenterTest {
    @TempDir
    Path dir;

    private final RgbImage image = SyntheticImages.shapes(40, 30);

    @Test
    void slicRegionsRoundTripThroughTheFile() {
        RegionSet regions = new SlicSegmenter(16).segment(image);
        Path file = dir.resolve("regions.png");
        LabelMaps.write(regions, file);
        LabelMapSegmenter segmenter = new LabelMapSegmenter(file);
        assertThat(segmenter.segment(image)).isEqualTo(regions);
        assertThat(segmenter.name()).isEqualTo("label-map");
        assertThat(segmenter.settings()).containsEntry("file", file.toString());
    }

    @Test
    void wrongSizeNamesTheFileAndBothSizes() {
        Path file = dir.resolve("small.png");
        LabelMaps.write(new GridSegmenter(2, 2).segment(RgbImage.filled(20, 10, 0)), file);
        assertThatThrownBy(() -> new LabelMapSegmenter(file).segment(image))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("20x10")
                .hasMessageContaining("40x30");
    }

    @Test
    void gapsInIdsNameTheFirstMissingId() throws IOException {
        int[] values = new int[4 * 2];
        int[] ids = {0, 1, 4, 4, 1, 3, 0, 4};
        System.arraycopy(ids, 0, values, 0, ids.length);
        Path file = write16(4, 2, values, "gaps.png");
        assertThatThrownBy(() -> new LabelMapSegmenter(file).segment(RgbImage.filled(4, 2, 0)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("id 2 has no pixel");
    }

    @Test
    void aSingleRegionIsRefused() throws IOException {
        Path file = write16(2, 2, new int[4], "one.png");
        assertThatThrownBy(() -> new LabelMapSegmenter(file).segment(RgbImage.filled(2, 2, 0)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("single region");
    }

    @Test
    void eightBitRgbCorruptEmptyAndMissingFilesAreRefused() throws IOException {
        BufferedImage rgb = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
        Path rgbFile = dir.resolve("rgb.png");
        ImageIO.write(rgb, "png", rgbFile.toFile());
        Path corrupt = Files.write(dir.resolve("corrupt.png"), "\u0089PNG garbage".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path empty = Files.createFile(dir.resolve("empty.png"));
        Path missing = dir.resolve("missing.png");
        for (Path file : new Path[] {rgbFile, corrupt, empty, missing}) {
            assertThatThrownBy(() -> new LabelMapSegmenter(file).segment(image))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(file.toString());
        }
    }

    private Path write16(int w, int h, int[] values, String name) throws IOException {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        out.getRaster().setSamples(0, 0, w, h, 0, values);
        Path file = dir.resolve(name);
        ImageIO.write(out, "png", file.toFile());
        return file;
    }
}
