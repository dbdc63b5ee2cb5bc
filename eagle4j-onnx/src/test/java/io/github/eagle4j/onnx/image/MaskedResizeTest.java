package io.github.eagle4j.onnx.image;

import io.github.eagle4j.Fill;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link MaskedResize} gives the same uint8 pixels as resizing each masked image's full-resolution pixels the
 * straightforward way, on random images, random regions and random kept sets, for every fill and filter, up- and
 * downscaling.
 */
class MaskedResizeTest {
    @Test
    void equalsResizingTheMaskedPixelsPixelForPixel() {
        Random random = new Random(11);
        int untabulated = 0;
        for (int[] s : PillowResizeBoxTest.SIZES) {
            if (s[0] * s[1] < 2) {
                continue;
            }
            RgbImage image = PillowResizeBoxTest.randomImage(random, s[0], s[1]);
            for (int labelling = 0; labelling < 3; labelling++) {
                RegionSet regions = randomRegions(random, s[0], s[1], labelling);
                for (Fill fill : Fill.values()) {
                    Masker masker = new Masker(image, regions, fill);
                    for (PillowResize.Filter filter : PillowResize.Filter.values()) {
                        int bw = 1 + random.nextInt(s[2]);
                        int bh = 1 + random.nextInt(s[3]);
                        PillowResize.Box box = labelling == 0 ? new PillowResize.Box(0, 0, s[2], s[3])
                                : new PillowResize.Box(random.nextInt(s[2] - bw + 1), random.nextInt(s[3] - bh + 1), bw, bh);
                        MaskedResize fast = new MaskedResize(masker, s[2], s[3], box, filter);
                        untabulated += fast.untabulatedRuns();
                        for (int trial = 0; trial < 4; trial++) {
                            BitSet kept = randomKept(random, regions.regionCount(), trial);
                            RgbImage masked = masker.keep(kept);
                            int[][] want = PillowResizeBoxTest.crop(PillowResize.resize(PillowResize.planes(masked),
                                    s[0], s[1], s[2], s[3], filter), s[2], box);
                            assertThat(fast.resize(new MaskedBatch(masker, List.of(kept)), 0))
                                    .as("%s labelling %d %s %s %s kept %s", Arrays.toString(s), labelling, fill, filter, box, kept)
                                    .isDeepEqualTo(want);
                        }
                    }
                }
            }
        }
        assertThat(untabulated).as("runs that take the tap-by-tap path").isPositive();
    }

    @Test
    void theClipProcessorGivesMaskedImagesTheSameValuesAsTheirPixels() {
        ClipImageProcessor p = ClipImageProcessor.fromConfig(Path.of("..", "models", "tiny-shapes-llava", "preprocessor_config.json"));
        Random random = new Random(5);
        for (int[] size : new int[][] {{640, 480}, {48, 40}, {100, 300}}) {
            RgbImage image = PillowResizeBoxTest.randomImage(random, size[0], size[1]);
            Masker masker = new Masker(image, randomRegions(random, size[0], size[1], 0), Fill.BLACK);
            Masker other = new Masker(image, randomRegions(random, size[0], size[1], 1), Fill.BLUR);
            for (int trial = 0; trial < 6; trial++) {
                Masker m = trial % 2 == 0 ? masker : other;
                MaskedBatch batch = new MaskedBatch(m, List.of(randomKept(random, m.regions().regionCount(), trial)));
                float[] fromSums = new float[p.valuesPerImage()];
                p.preprocess(ImageInput.of(batch).get(0), FloatBuffer.wrap(fromSums));
                assertThat(fromSums).isEqualTo(p.preprocess(batch.image(0)));
            }
        }
    }

    @Test
    void theQwenAndIdefics3ProcessorsGiveMaskedImagesTheSameValuesAsTheirPixels() {
        ModelDirectory qwen = ModelDirectory.open(Path.of("..", "fixtures", "models", "tiny-random-qwen2-vl"));
        QwenImageProcessor q = QwenImageProcessor.fromJson(qwen.json(ModelDirectory.PREPROCESSOR_CONFIG), "qwen");
        ModelDirectory idefics = ModelDirectory.open(Path.of("..", "fixtures", "models", "tiny-random-idefics3"));
        Idefics3ImageProcessor i = Idefics3ImageProcessor.fromJson(idefics.json(ModelDirectory.PREPROCESSOR_CONFIG), "idefics3");
        Random random = new Random(6);
        // sizes that Qwen upscales (min_pixels), downscales (max_pixels) and Idefics3 splits into several tiles
        for (int[] size : new int[][] {{640, 480}, {21, 17}, {70, 50}, {50, 130}}) {
            RgbImage image = PillowResizeBoxTest.randomImage(random, size[0], size[1]);
            Masker black = new Masker(image, randomRegions(random, size[0], size[1], 0), Fill.BLACK);
            Masker mean = new Masker(image, randomRegions(random, size[0], size[1], 2), Fill.MEAN);
            for (int trial = 0; trial < 6; trial++) {
                Masker m = trial % 2 == 0 ? black : mean;
                MaskedBatch batch = new MaskedBatch(m, List.of(randomKept(random, m.regions().regionCount(), trial)));
                ImageInput masked = ImageInput.of(batch).get(0);
                RgbImage plain = batch.image(0);
                float[] qwenWant = q.patches(plain);
                float[] qwenFromSums = new float[qwenWant.length];
                q.patches(masked, FloatBuffer.wrap(qwenFromSums));
                assertThat(qwenFromSums).as("qwen %s", Arrays.toString(size)).isEqualTo(qwenWant);
                float[] ideficsWant = i.preprocess(plain);
                float[] ideficsFromSums = new float[ideficsWant.length];
                i.preprocess(masked, FloatBuffer.wrap(ideficsFromSums));
                assertThat(ideficsFromSums).as("idefics3 %s", Arrays.toString(size)).isEqualTo(ideficsWant);
            }
        }
    }

    @Test
    void anImageAsItsChangesFromAnotherEqualsItsFullResize() {
        Random random = new Random(13);
        for (int labelling = 0; labelling < 3; labelling++) {
            RgbImage image = PillowResizeBoxTest.randomImage(random, 90, 70);
            RegionSet regions = randomRegions(random, 90, 70, labelling);
            int n = regions.regionCount();
            for (Fill fill : List.of(Fill.BLACK, Fill.BLUR)) {
                Masker masker = new Masker(image, regions, fill);
                PillowResize.Box box = new PillowResize.Box(3, 2, 40, 30);
                MaskedResize fast = new MaskedResize(masker, 48, 36, box, PillowResize.Filter.BICUBIC);
                for (int trial = 0; trial < 6; trial++) {
                    // a reference and an image that differs from it by one to three regions (as a search's images do),
                    // or a random other image
                    BitSet reference = randomKept(random, n, trial);
                    BitSet kept = (BitSet) reference.clone();
                    int flips = trial == 5 ? n : 1 + random.nextInt(3);
                    for (int f = 0; f < flips; f++) {
                        kept.flip(random.nextInt(n));
                    }
                    MaskedBatch batch = new MaskedBatch(masker, List.of(reference, kept));
                    int[][] changed = fast.resize(batch, 0);
                    int[] visits = new int[1];
                    fast.resizeChanges(batch, 1, 0, (o, rgb) -> {
                        changed[0][o] = rgb >>> 16;
                        changed[1][o] = (rgb >>> 8) & 0xFF;
                        changed[2][o] = rgb & 0xFF;
                        visits[0]++;
                    });
                    String what = "labelling " + labelling + ", " + fill + ", kept " + kept + " from " + reference;
                    assertThat(changed).as(what).isDeepEqualTo(fast.resize(batch, 1));
                    assertThat(visits[0]).as(what).isEqualTo(fast.changeCount(batch, 1, 0));
                    if (kept.equals(reference)) {
                        assertThat(visits[0]).as(what).isZero();
                    }
                }
            }
        }
    }

    @Test
    void theClipProcessorWritesABatchOfSimilarImagesAsItWritesEachAlone() {
        ClipImageProcessor p = ClipImageProcessor.fromConfig(Path.of("..", "models", "tiny-shapes-llava", "preprocessor_config.json"));
        Random random = new Random(8);
        RgbImage image = PillowResizeBoxTest.randomImage(random, 128, 128);
        Masker masker = new Masker(image, randomRegions(random, 128, 128, 0), Fill.BLACK);
        Masker other = new Masker(image, masker.regions(), Fill.BLACK);
        int n = masker.regions().regionCount();
        // a greedy step's images: each candidate's insertion image and its complement, interleaved
        BitSet chosen = randomKept(random, n, 3);
        List<BitSet> kept = new java.util.ArrayList<>();
        for (int r = 0; r < n && kept.size() < 12; r++) {
            if (!chosen.get(r)) {
                BitSet plus = (BitSet) chosen.clone();
                plus.set(r);
                BitSet minus = (BitSet) plus.clone();
                minus.flip(0, n);
                kept.add(plus);
                kept.add(minus);
            }
        }
        MaskedBatch batch = new MaskedBatch(masker, kept);
        List<ImageInput> inputs = new java.util.ArrayList<>(ImageInput.of(batch));
        // an image of another masker's batch and a plain image between them: written image by image
        inputs.add(5, ImageInput.of(new MaskedBatch(other, List.of(chosen))).get(0));
        inputs.add(8, ImageInput.of(image));
        // the whole list, then its second half alone (as a second run's share of a call: its first images are
        // written as changes from the batch's first two)
        for (List<ImageInput> list : List.of(inputs, inputs.subList(inputs.size() / 2, inputs.size()))) {
            float[] together = new float[list.size() * p.valuesPerImage() + 3];
            FloatBuffer buf = FloatBuffer.wrap(together);
            buf.position(3);
            p.preprocess(list, buf);
            assertThat(buf.position()).isEqualTo(together.length);
            for (int i = 0; i < list.size(); i++) {
                float[] alone = new float[p.valuesPerImage()];
                p.preprocess(list.get(i), FloatBuffer.wrap(alone));
                assertThat(Arrays.copyOfRange(together, 3 + i * alone.length, 3 + (i + 1) * alone.length))
                        .as("image %d of %d", i, list.size()).isEqualTo(alone);
            }
        }
    }

    @Test
    void windowsOfBlackAreZeroAndWindowsOfKeptPixelsTheOriginals() {
        // Pillow's sum over black taps is HALF = 2^21, and 2^21 >> 22 == 0: no rounding up to 1
        assertThat(PillowResize.clip8(PillowResize.HALF)).isZero();
        Random random = new Random(9);
        RgbImage image = PillowResizeBoxTest.randomImage(random, 300, 200);
        Masker masker = new Masker(image, randomRegions(random, 300, 200, 0), Fill.BLACK);
        PillowResize.Box box = new PillowResize.Box(0, 0, 96, 64);
        MaskedResize fast = new MaskedResize(masker, 96, 64, box, PillowResize.Filter.BICUBIC);
        int[][] black = fast.resize(new MaskedBatch(masker, List.of(new BitSet())), 0);
        assertThat(Arrays.stream(black).flatMapToInt(Arrays::stream).allMatch(v -> v == 0)).isTrue();
        BitSet all = new BitSet();
        all.set(0, masker.regions().regionCount());
        assertThat(fast.resize(new MaskedBatch(masker, List.of(all)), 0))
                .isDeepEqualTo(PillowResize.resizeBox(image, 96, 64, box, PillowResize.Filter.BICUBIC));
    }

    @Test
    void refusesAnotherMaskersBatch() {
        Random random = new Random(3);
        RgbImage image = PillowResizeBoxTest.randomImage(random, 20, 20);
        Masker a = new Masker(image, randomRegions(random, 20, 20, 0), Fill.BLACK);
        Masker b = new Masker(image, a.regions(), Fill.BLACK);
        MaskedResize fast = new MaskedResize(a, 10, 10, new PillowResize.Box(0, 0, 10, 10), PillowResize.Filter.BICUBIC);
        assertThatThrownBy(() -> fast.resize(new MaskedBatch(b, List.of(new BitSet())), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Kept sets: none, all, then random halves and sparse picks. */
    static BitSet randomKept(Random random, int regions, int trial) {
        BitSet kept = new BitSet();
        if (trial == 1) {
            kept.set(0, regions);
        } else if (trial > 1) {
            double p = trial % 2 == 0 ? 0.5 : 0.15;
            for (int r = 0; r < regions; r++) {
                if (random.nextDouble() < p) {
                    kept.set(r);
                }
            }
        }
        return kept;
    }

    /**
     * Labellings: 0 blocks of random size (SLIC-like), 1 blocks with scattered unlabelled pixels, 2 a label per
     * pixel from a small set (windows meet many regions, so runs exceed what is tabulated).
     */
    static RegionSet randomRegions(Random random, int width, int height, int labelling) {
        int[] labels = new int[width * height];
        int cw = 1 + random.nextInt(Math.max(1, width / 3));
        int ch = 1 + random.nextInt(Math.max(1, height / 3));
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                labels[i] = switch (labelling) {
                    case 0 -> (y / ch) * 1000 + x / cw;
                    case 1 -> random.nextInt(10) == 0 ? RegionSet.UNLABELLED : (y / ch) * 1000 + x / cw;
                    default -> random.nextInt(12);
                };
            }
        }
        // ids dense 0..n-1; at least two regions
        int[] sorted = Arrays.stream(labels).filter(l -> l >= 0).distinct().sorted().toArray();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0) {
                labels[i] = Arrays.binarySearch(sorted, labels[i]);
            }
        }
        if (sorted.length < 2) {
            labels[0] = 0;
            labels[labels.length - 1] = 1;
            for (int i = 1; i < labels.length - 1; i++) {
                labels[i] = labels[i] < 0 ? labels[i] : 0;
            }
        }
        return RegionSet.fromLabels(width, height, labels);
    }
}
