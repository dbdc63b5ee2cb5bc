package io.github.eagle4j.masking;

import io.github.eagle4j.Fill;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaskerTest {
    private static final int U = RegionSet.UNLABELLED;

    /** 4×3; region 0 top left, 1 right column, 2 centre bottom, one unlabelled pixel at (0, 2). */
    private static final RegionSet REGIONS = RegionSet.fromLabels(4, 3, new int[] {
        0, 0, 1, 1,
        0, 2, 2, 1,
        U, 2, 2, 1});

    /** Pixel i has red 10·i, green 20, blue i. */
    private static final RgbImage IMAGE = image();

    private static RgbImage image() {
        int[] px = new int[12];
        for (int i = 0; i < 12; i++) {
            px[i] = (10 * i) << 16 | 20 << 8 | i;
        }
        return RgbImage.of(4, 3, px);
    }

    private static int px(int i) {
        return IMAGE.rgbAt(i);
    }

    @Test
    void blackFillKeepsOnlyTheChosenRegionsAndUnlabelledPixels() {
        Masker masker = new Masker(IMAGE, REGIONS, Fill.BLACK);
        assertThat(masker.keep(bits(0)).pixels()).containsExactly(
                px(0), px(1), 0, 0,
                px(4), 0, 0, 0,
                px(8), 0, 0, 0);
        assertThat(masker.keep(bits(1, 2)).pixels()).containsExactly(
                0, 0, px(2), px(3),
                0, px(5), px(6), px(7),
                px(8), px(9), px(10), px(11));
        assertThat(masker.keep(new BitSet()).pixels()).containsExactly(
                0, 0, 0, 0,
                0, 0, 0, 0,
                px(8), 0, 0, 0);
        assertThat(masker.keep(bits(0, 1, 2))).isEqualTo(IMAGE);
    }

    @Test
    void aMaskedBatchHoldsCopiesOfTheKeptSetsAndBuildsTheSameImagesAsTheMasker() {
        Masker masker = new Masker(IMAGE, REGIONS, Fill.MEAN);
        BitSet kept = bits(0, 2);
        MaskedBatch batch = new MaskedBatch(masker, List.of(kept, new BitSet()));
        kept.clear();
        batch.keptSets().get(0).clear();
        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.keptSets()).containsExactly(bits(0, 2), new BitSet());
        assertThat(batch.isKept(0, 0)).isTrue();
        assertThat(batch.isKept(0, 1)).isFalse();
        assertThat(batch.original()).isSameAs(IMAGE);
        assertThat(batch.regions()).isSameAs(REGIONS);
        assertThat(batch.fill()).isEqualTo(Fill.MEAN);
        int mean = 55 << 16 | 20 << 8 | 6;
        int[] row = new int[4];
        batch.image(0).copyPixels(4, row, 0, 4);
        assertThat(row).containsExactly(px(4), px(5), px(6), mean);
        assertThat(batch.images()).containsExactly(masker.keep(bits(0, 2)), masker.keep(new BitSet()));
        assertThat(masker.fillImage()).isEqualTo(RgbImage.filled(4, 3, mean));
        assertThat(new Masker(IMAGE, REGIONS, Fill.BLACK).fillImage()).isEqualTo(RgbImage.filled(4, 3, 0));
        assertThatThrownBy(() -> new MaskedBatch(masker, List.of(bits(3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region id 3");
    }

    @Test
    void meanFillUsesTheRoundedPerChannelMean() {
        // red 0..110 → mean 55; green 20; blue 0..11 → mean 5.5, rounded half up to 6
        int mean = 55 << 16 | 20 << 8 | 6;
        Masker masker = new Masker(IMAGE, REGIONS, Fill.MEAN);
        assertThat(masker.keep(bits(2)).pixels()).containsExactly(
                mean, mean, mean, mean,
                mean, px(5), px(6), mean,
                px(8), px(9), px(10), mean);
        assertThat(masker.keep(bits(0, 2)).pixels()).containsExactly(
                px(0), px(1), mean, mean,
                px(4), px(5), px(6), mean,
                px(8), px(9), px(10), mean);
    }

    @Test
    void blurFillTakesTheBlurredOriginal() {
        int[] blurred = BoxBlur.blur(4, 3, IMAGE.pixels(), BoxBlur.radius(4, 3));
        Masker masker = new Masker(IMAGE, REGIONS, Fill.BLUR);
        assertThat(masker.keep(bits(1)).pixels()).containsExactly(
                blurred[0], blurred[1], px(2), px(3),
                blurred[4], blurred[5], blurred[6], px(7),
                px(8), blurred[9], blurred[10], px(11));
        RgbImage flat = RgbImage.filled(4, 3, 0x336699);
        assertThat(new Masker(flat, REGIONS, Fill.BLUR).keep(new BitSet())).isEqualTo(flat);
    }

    @Test
    void onACanvasOfSeveralImagesTheMeanAndBlurAreEachImagesOwnAndNothingCrossesTheSeam() {
        // a white 6x4 image beside a black 3x2 one (padding below the second): the canvas-wide blur would
        // grey the black image's left column and the canvas mean would lift it off black
        RgbImage white = RgbImage.filled(6, 4, 0xFFFFFF);
        RgbImage black = RgbImage.filled(3, 2, 0);
        io.github.eagle4j.FrameLayout frames = io.github.eagle4j.FrameLayout.of(List.of(white, black));
        RgbImage canvas = frames.compose(List.of(white, black));
        RegionSet regions = io.github.eagle4j.regions.FrameSegmenter.combine(frames, List.of(
                new io.github.eagle4j.regions.GridSegmenter(2, 2).segment(white),
                new io.github.eagle4j.regions.GridSegmenter(1, 2).segment(black)));
        for (Fill fill : List.of(Fill.MEAN, Fill.BLUR)) {
            Masker masker = new Masker(canvas, regions, fill, frames);
            RgbImage filled = masker.keep(new BitSet());
            assertThat(frames.frameImage(filled, 0)).as("%s", fill).isEqualTo(white);
            assertThat(frames.frameImage(filled, 1)).as("%s", fill).isEqualTo(black);
            assertThat(masker.frames()).isEqualTo(frames);
            // padding below the lower image is never filled
            assertThat(filled.rgbAt(3 * 9 + 7)).isZero();
        }
    }

    @Test
    void aMaskerOfOneImageFillsExactlyAsTheCanvasOfOneFrame() {
        RgbImage photo = RgbImage.of(4, 3, IMAGE.pixels());
        for (Fill fill : Fill.values()) {
            Masker plain = new Masker(photo, REGIONS, fill);
            Masker single = new Masker(photo, REGIONS, fill, io.github.eagle4j.FrameLayout.single(4, 3));
            assertThat(single.fillImage()).isEqualTo(plain.fillImage());
            for (BitSet kept : List.of(new BitSet(), bits(0), bits(1, 2))) {
                assertThat(single.keep(kept).pixels()).containsExactly(plain.keep(kept).pixels());
            }
        }
    }

    @Test
    void boxBlurMatchesAHandComputation() {
        // three passes of a radius-1 box over 0 0 255 0 0 with clamped edges:
        // 0 85 85 85 0 → 28 57 85 57 28 → 38 57 66 57 38 (each value (sum + 1) / 3)
        int[] row = {0, 0, 0xFFFFFF, 0, 0};
        int[] out = BoxBlur.blur(5, 1, row, 1);
        assertThat(out).containsExactly(gray(38), gray(57), gray(66), gray(57), gray(38));
        assertThat(BoxBlur.radius(640, 480)).isEqualTo(30);
        assertThat(BoxBlur.radius(4, 3)).isEqualTo(1);
    }

    private static int gray(int v) {
        return v << 16 | v << 8 | v;
    }

    @Test
    void keepAllMatchesAPixelByPixelReferenceOnManySubsets() {
        int w = 37;
        int h = 23;
        Random random = new Random(3);
        int[] px = new int[w * h];
        int[] labels = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = random.nextInt(0x1000000);
            int x = i % w;
            int y = i / w;
            labels[i] = (x * 7 + y * 3) % 11 == 0 ? U : (x / 6) + 7 * (y / 8);
        }
        RgbImage image = RgbImage.of(w, h, px);
        RegionSet regions = RegionSet.fromLabels(w, h, labels);
        for (Fill fill : Fill.values()) {
            Masker masker = new Masker(image, regions, fill);
            RgbImage none = masker.keep(new BitSet());
            List<BitSet> sets = new java.util.ArrayList<>();
            for (int t = 0; t < 40; t++) {
                BitSet kept = new BitSet();
                for (int r = 0; r < regions.regionCount(); r++) {
                    if (random.nextInt(40) < t) {
                        kept.set(r);
                    }
                }
                sets.add(kept);
            }
            List<RgbImage> masked = masker.keepAll(sets);
            for (int t = 0; t < sets.size(); t++) {
                int[] expected = new int[w * h];
                for (int i = 0; i < expected.length; i++) {
                    int label = labels[i];
                    expected[i] = label == U || sets.get(t).get(label) ? px[i] : none.rgbAt(i);
                }
                assertThat(masked.get(t).pixels()).as("%s subset %d", fill, t).containsExactly(expected);
            }
        }
    }

    @Test
    void misuseIsRefused() {
        Masker masker = new Masker(IMAGE, REGIONS, Fill.BLACK);
        assertThatThrownBy(() -> masker.keep(bits(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3");
        assertThatThrownBy(() -> new Masker(RgbImage.filled(3, 4, 0), REGIONS, Fill.BLACK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(masker.fill()).isEqualTo(Fill.BLACK);
        assertThat(masker.regions()).isSameAs(REGIONS);
        assertThat(masker.original()).isSameAs(IMAGE);
    }

    private static BitSet bits(int... ids) {
        BitSet b = new BitSet();
        for (int id : ids) {
            b.set(id);
        }
        return b;
    }
}
