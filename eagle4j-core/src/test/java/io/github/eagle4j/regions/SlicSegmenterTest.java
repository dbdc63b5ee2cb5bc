package io.github.eagle4j.regions;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Segmentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlicSegmenterTest {

    private static final Map<String, BiFunction<Integer, Integer, RgbImage>> IMAGES = Map.of(
            "flat", SyntheticImages::flat,
            "gradient", SyntheticImages::gradient,
            "noise", SyntheticImages::noise,
            "shapes", SyntheticImages::shapes,
            "photo", SyntheticImages::smoothPhoto);

    /**
     * Every image and target at 160×120; at 640×480 every target for the textured images, and only 64 for
     * flat and gradient (whose count is the seed grid's at any size), to keep the suite fast.
     */
    static Stream<Arguments> cases() {
        int[] all = {16, 36, 64, 100};
        List<Arguments> out = new ArrayList<>();
        for (String name : List.of("flat", "gradient", "noise", "shapes", "photo")) {
            out.add(Arguments.of(name, 160, 120, all));
            boolean plain = name.equals("flat") || name.equals("gradient");
            out.add(Arguments.of(name, 640, 480, plain ? new int[] {64} : all));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("cases")
    void partitionIsDenseConnectedAndNearTheRequestedCount(String name, int w, int h, int[] targets) {
        RgbImage image = IMAGES.get(name).apply(w, h);
        for (int target : targets) {
            SlicSegmenter segmenter = new SlicSegmenter(target);
            RegionSet regions = segmenter.segment(image);
            int n = regions.regionCount();

            assertThat(n).as("%s %dx%d target %d", name, w, h, target)
                    .isBetween((int) Math.ceil(target * 0.75), (int) Math.floor(target * 1.25));
            long total = 0;
            for (int r = 0; r < n; r++) {
                total += regions.pixelCount(r);
            }
            assertThat(total).isEqualTo((long) w * h);
            assertThat(regions.unlabelledPixelCount()).isZero();

            int[] labels = regions.labels();
            int[] comp = new int[labels.length];
            int components = SmallRegionMerger.components(w, h, labels, comp);
            assertThat(components).as("every region is one 4-connected component").isEqualTo(n);
            int min = segmenter.minRegionPixels(w, h);
            for (int r = 0; r < n; r++) {
                assertThat(regions.pixelCount(r)).as("size of region %d", r).isGreaterThanOrEqualTo(min);
            }
            assertIdsInRasterOrderOfFirstPixel(labels);
        }
    }

    private static void assertIdsInRasterOrderOfFirstPixel(int[] labels) {
        int next = 0;
        int firstBad = -1;
        for (int i = 0; i < labels.length && firstBad < 0; i++) {
            if (labels[i] > next) {
                firstBad = i;
            } else if (labels[i] == next) {
                next++;
            }
        }
        assertThat(firstBad).as("first pixel whose id was not numbered in raster order").isEqualTo(-1);
    }

    @Test
    void secondRunGivesIdenticalLabels() {
        RgbImage image = SyntheticImages.shapes(160, 120);
        RegionSet first = new SlicSegmenter(64).segment(image);
        RegionSet second = new SlicSegmenter(64).segment(image);
        assertThat(second.labels()).isEqualTo(first.labels());
    }

    @Test
    void regionsFollowASharpColourEdge() {
        int w = 160;
        int h = 120;
        RgbImage image = SyntheticImages.redSquareOnGrey(w, h, 47, 29, 53);
        RegionSet regions = new SlicSegmenter(64).segment(image);
        int n = regions.regionCount();
        int[] inside = new int[n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (image.rgb(x, y) != SyntheticImages.rgb(128, 128, 128)) {
                    inside[regions.label(x, y)]++;
                }
            }
        }
        int pure = 0;
        double worst = 1;
        for (int r = 0; r < n; r++) {
            int size = regions.pixelCount(r);
            double purity = Math.max(inside[r], size - inside[r]) / (double) size;
            worst = Math.min(worst, purity);
            if (purity == 1.0) {
                pure++;
            }
        }
        assertThat(worst).as("least pure region").isGreaterThanOrEqualTo(0.9);
        assertThat(pure / (double) n).as("share of regions entirely on one side").isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void flatTinyImageGivesTheSeedGrid() {
        RegionSet regions = new SlicSegmenter(4).segment(SyntheticImages.flat(8, 8));
        assertThat(regions.regionCount()).isEqualTo(4);
        for (int r = 0; r < 4; r++) {
            assertThat(regions.pixelCount(r)).isEqualTo(16);
        }
        assertThat(regions.label(0, 0)).isZero();
        assertThat(regions.label(7, 0)).isEqualTo(1);
        assertThat(regions.label(0, 7)).isEqualTo(2);
        assertThat(regions.label(7, 7)).isEqualTo(3);
    }

    @Test
    void tinyTexturedImageStillGivesSeveralRegions() {
        RegionSet regions = new SlicSegmenter(4).segment(SyntheticImages.noise(8, 8));
        assertThat(regions.regionCount()).isBetween(2, 4);
    }

    @Test
    void imagesTooSmallForTheRequestGiveFewerRegions() {
        RegionSet regions = new SlicSegmenter(64).segment(SyntheticImages.gradient(6, 5));
        assertThat(regions.regionCount()).isBetween(2, 30);
        assertThat(new SlicSegmenter(64).segment(SyntheticImages.gradient(2, 1)).regionCount()).isEqualTo(2);
    }

    @Test
    void singlePixelImageIsRefused() {
        assertThatThrownBy(() -> new SlicSegmenter(64).segment(SyntheticImages.flat(1, 1)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("1x1")
                .hasMessageContaining("at least 2");
    }

    @Test
    void mergeThatLeavesOneRegionIsRefused() {
        assertThatThrownBy(() -> new SlicSegmenter(4, 1000).segment(SyntheticImages.noise(20, 20)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("20x20");
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new SlicSegmenter(1)).isInstanceOf(InvalidInputException.class).hasMessageContaining("1");
        assertThatThrownBy(() -> new SlicSegmenter(64, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("minRegionPixels");
    }

    @Test
    void seedSpacingAndMinimumFollowTheSpec() {
        assertThat(SlicSegmenter.seedSpacing(640, 480, 64)).isEqualTo(69);
        assertThat(SlicSegmenter.seedSpacing(160, 120, 100)).isEqualTo(13);
        assertThat(SlicSegmenter.seedSpacing(3, 3, 64)).isEqualTo(1);
        assertThat(SlicSegmenter.defaultMinRegionPixels(69)).isEqualTo(595);
        assertThat(SlicSegmenter.defaultMinRegionPixels(13)).isEqualTo(21);
        assertThat(SlicSegmenter.defaultMinRegionPixels(8)).isEqualTo(16);
        assertThat(SlicSegmenter.defaultMinRegionPixels(4)).isEqualTo(8);
        assertThat(SlicSegmenter.defaultMinRegionPixels(1)).isEqualTo(1);
    }

    @Test
    void theRegionsCarryTheSettingsDerivedForTheirImageAndTheSegmenterKeepsNone() {
        SlicSegmenter segmenter = new SlicSegmenter(64);
        assertThat(segmenter.name()).isEqualTo("slic");
        assertThat(segmenter.settings()).containsEntry("algorithm", "slico").containsEntry("nominalRegions", 64)
                .containsEntry("minRegionPixels", "auto").doesNotContainKey("seedSpacing");
        Segmentation large = segmenter.segment(SyntheticImages.flat(640, 480)).segmentation().orElseThrow();
        Segmentation small = segmenter.segment(SyntheticImages.flat(160, 120)).segmentation().orElseThrow();
        assertThat(large.segmenter()).isEqualTo("slic");
        assertThat(large.settings()).containsEntry("seedSpacing", 69).containsEntry("minRegionPixels", 595)
                .containsEntry("seedColumns", 9).containsEntry("seedRows", 7).containsEntry("imageWidth", 640);
        // a later image does not rewrite what an earlier result says, nor the segmenter's own settings
        assertThat(small.settings()).containsEntry("imageWidth", 160).containsEntry("seedSpacing", SlicSegmenter.seedSpacingUsed(160, 120, 64));
        assertThat(large.settings()).containsEntry("imageWidth", 640);
        assertThat(segmenter.settings()).containsEntry("minRegionPixels", "auto").doesNotContainKey("imageWidth");
        assertThat(new GridSegmenter(2, 3).segment(SyntheticImages.flat(30, 20)).segmentation().orElseThrow())
                .isEqualTo(new Segmentation("grid", Map.of("rows", 2, "cols", 3)));
        assertThat(new SlicSegmenter(36, 50).settingsFor(160, 120)).containsEntry("seedSpacing", 23)
                .containsEntry("minRegionPixels", 50);
    }

    @Test
    void smallSeedSpacingsDoNotMultiplyTheRegions() {
        // the authors' floor gives S = 2 here: a grid of 4096 seeds for 2000 regions, 3,726 regions before the fix
        RegionSet regions = new SlicSegmenter(2000).segment(SyntheticImages.noise(128, 128));
        assertThat(regions.regionCount()).isBetween(1000, 3000);
        assertThat(SlicSegmenter.seedSpacingUsed(128, 128, 2000)).isEqualTo(3);
        // the usual cases keep the authors' spacing
        assertThat(SlicSegmenter.seedSpacingUsed(640, 480, 64)).isEqualTo(69);
        assertThat(SlicSegmenter.seedSpacingUsed(224, 224, 64)).isEqualTo(28);
    }

    @Test
    void moreRegionsThanTheImageHoldsAreCappedAtOnePerFourPixels() {
        assertThat(SlicSegmenter.maxRegions(112, 112)).isEqualTo(3136);
        RegionSet regions = new SlicSegmenter(100_000).segment(SyntheticImages.noise(112, 112));
        assertThat(regions.regionCount()).isLessThanOrEqualTo(3136 * 3 / 2);
        assertThat(new SlicSegmenter(100_000).settingsFor(112, 112)).containsEntry("regionsUsed", 3136)
                .containsEntry("seedSpacing", 2);
    }

    @Test
    void twoRegionsOnASquareImageGiveMoreThanOne() {
        assertThat(new SlicSegmenter(2).segment(SyntheticImages.gradient(128, 128)).regionCount()).isBetween(2, 4);
    }
}
