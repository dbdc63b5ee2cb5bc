package io.github.eagle4j.imageio;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.regions.LabelMapSegmenter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Label maps on random sizes and labellings: a dense labelling written with {@link LabelMaps#write} reads back
 * identically through {@link LabelMaps#read} and {@link LabelMapSegmenter} (ids dense, every pixel kept); a labelling
 * with a missing id, a single region, or the wrong size is refused with a message naming the file.
 */
class LabelMapProperties {
    private static Path dir;

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("label-map-properties");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A random labelling of w×h pixels with ids 0..n-1, each used at least once, in a random layout. */
    record Labelling(int width, int height, int regions, int[] labels) {
    }

    @Provide
    Arbitrary<Labelling> labellings() {
        return Combinators.combine(Arbitraries.integers().between(1, 40), Arbitraries.integers().between(1, 40),
                Arbitraries.integers().between(2, 300), Arbitraries.longs(), Arbitraries.of(true, false))
                .as((w, h, n, seed, blocky) -> {
                    int pixels = w * h;
                    int regions = Math.max(2, Math.min(n, pixels));
                    Random r = new Random(seed);
                    int[] labels = new int[pixels];
                    if (pixels < 2) {
                        return null;
                    }
                    for (int i = 0; i < pixels; i++) {
                        labels[i] = blocky ? Math.min(regions - 1, (i % w) * regions / w) : r.nextInt(regions);
                    }
                    // every id at least once, at distinct random pixels
                    int[] perm = r.ints(0, pixels).distinct().limit(regions).toArray();
                    for (int id = 0; id < regions; id++) {
                        labels[perm[id]] = id;
                    }
                    return new Labelling(w, h, regions, labels);
                }).filter(l -> l != null);
    }

    private static Path write(Labelling l, String name) {
        Path file = dir.resolve(name + ".png");
        LabelMaps.write(RegionSet.fromLabels(l.width(), l.height(), l.labels()), file);
        return file;
    }

    @Property
    void denseLabellingsRoundTrip(@ForAll("labellings") Labelling l) {
        Path file = write(l, "dense");
        LabelMaps.LabelMap map = LabelMaps.read(file);
        assertThat(map.width()).isEqualTo(l.width());
        assertThat(map.height()).isEqualTo(l.height());
        assertThat(map.labels()).containsExactly(l.labels());
        RegionSet regions = new LabelMapSegmenter(file).segment(RgbImage.filled(l.width(), l.height(), 0));
        assertThat(regions.regionCount()).isEqualTo(l.regions());
        for (int i = 0; i < l.labels().length; i++) {
            assertThat(regions.label(i % l.width(), i / l.width())).isEqualTo(l.labels()[i]);
        }
    }

    @Property
    void aMissingIdIsRefusedNamingIt(@ForAll("labellings") Labelling l, @ForAll long seed) throws IOException {
        // remove one id below the largest by relabelling its pixels with the largest: no longer dense
        int missing = (int) Math.floorMod(seed, (long) l.regions() - 1);
        int max = l.regions() - 1;
        int[] gap = l.labels().clone();
        for (int i = 0; i < gap.length; i++) {
            if (gap[i] == missing) {
                gap[i] = max;
            }
        }
        Path file = dir.resolve("gap.png");
        // written as a plain 16-bit grey PNG: LabelMaps.write itself only writes what a RegionSet holds
        TestFiles.write(TestFiles.gray16(l.width(), l.height(), gap), "png", file);
        assertThatThrownBy(() -> new LabelMapSegmenter(file).segment(RgbImage.filled(l.width(), l.height(), 0)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("id " + missing + " has no pixel");
    }

    @Property
    void aMapOfAnotherSizeIsRefused(@ForAll("labellings") Labelling l) {
        Path file = write(l, "sized");
        assertThatThrownBy(() -> new LabelMapSegmenter(file).segment(RgbImage.filled(l.width() + 1, l.height(), 0)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("but the image is");
    }
}
