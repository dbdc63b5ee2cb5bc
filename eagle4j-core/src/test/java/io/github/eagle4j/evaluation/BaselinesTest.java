package io.github.eagle4j.evaluation;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.Fill;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Baseline orders and the shared scoring protocol, on a scorer that reads the masked images. */
class BaselinesTest {
    /** 3×2 grid on a 12×8 image: six 4×4 cells, each its own non-black colour. */
    static RgbImage cells() {
        int[] px = new int[12 * 8];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 12; x++) {
                px[y * 12 + x] = 0x102030 + ((y / 4) * 3 + x / 4) * 0x101010;
            }
        }
        return RgbImage.of(12, 8, px);
    }

    /** Two targets; probability = base + Σ weights of the visible cells. Records batch sizes. */
    static final class CellScorer implements TokenScorer {
        final double[][] weights = {{0.05, 0.30, 0.00, 0.20, 0.10, 0.02}, {0.01, 0.02, 0.03, 0.04, 0.02, 0.03}};
        final double[] base = {0.1, 0.5};
        final List<Integer> batches = new ArrayList<>();
        final ScoringTask task = new ScoringTask("q", "a b", List.of("a", "b"),
                List.of(new Target(0, "a", 7), new Target(1, "b", 8)));

        @Override
        public ScoringTask task() {
            return task;
        }

        @Override
        public double[][] score(List<RgbImage> images) {
            batches.add(images.size());
            double[][] out = new double[images.size()][2];
            for (int i = 0; i < images.size(); i++) {
                for (int t = 0; t < 2; t++) {
                    double p = base[t];
                    for (int cell = 0; cell < 6; cell++) {
                        if (images.get(i).rgb((cell % 3) * 4, (cell / 3) * 4) != 0) {
                            p += weights[t][cell];
                        }
                    }
                    out[i][t] = p;
                }
            }
            return out;
        }
    }

    @Test
    void occlusionRanksByDropInOneBatchOfN() {
        RgbImage img = cells();
        RegionSet regions = new GridSegmenter(2, 3).segment(img);
        CellScorer scorer = new CellScorer();
        double[] full = scorer.score(List.of(img))[0];
        scorer.batches.clear();
        Baselines.Occlusion o = Baselines.occlusion(new Masker(img, regions, Fill.BLACK), scorer, full);
        // mean drops: (w0 + w1) / 2 = 0.03, 0.16, 0.015, 0.12, 0.06, 0.025
        assertThat(o.order()).containsExactly(1, 3, 4, 0, 5, 2);
        assertThat(o.drops()[1]).isCloseTo(0.16, within(1e-12));
        assertThat(o.forwardPasses()).isEqualTo(6);
        assertThat(scorer.batches).containsExactly(6);
    }

    @Test
    void scoringEaglesOwnOrderReproducesItsCurvesExactly() {
        RgbImage img = cells();
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).build();
        RegionSet regions = options.segmenter().segment(img);
        CellScorer scorer = new CellScorer();
        Explanation e = new Explainer(options).explain(img, regions, scorer, ProgressListener.NONE);
        scorer.batches.clear();
        OrderScore s = Baselines.score("eagle-again", e.curves().order(), new Masker(img, regions, Fill.BLACK), scorer, 0.2, 0);
        assertThat(scorer.batches).containsExactly(12);
        assertThat(s.forwardPasses()).isEqualTo(12);
        assertThat(s.insertionCurve()).containsExactly(e.curves().insertionCurve());
        assertThat(s.deletionCurve()).containsExactly(e.curves().deletionCurve());
        assertThat(s.insertionAuc()).isEqualTo(e.metrics().insertionAuc());
        assertThat(s.deletionAuc()).isEqualTo(e.metrics().deletionAuc());
        assertThat(s.highestConfidence()).isEqualTo(e.metrics().highestConfidence());
        assertThat(s.fullImageProbs()).containsExactly(e.metrics().fullImageProbs());
        assertThat(s.blankImageProbs()).containsExactly(e.metrics().blankImageProbs());
        assertThat(s.sensitive().targets()).containsExactly(e.metrics().sensitive().targets());
        assertThat(s.sensitive().insertionAuc()).isEqualTo(e.metrics().sensitive().insertionAuc());
        for (int k = 0; k < 6; k++) {
            assertThat(s.areaCurve()[k]).isCloseTo(e.curves().areaCurve()[k], within(1e-15));
        }
    }

    @Test
    void aWorseOrderScoresWorse() {
        RgbImage img = cells();
        RegionSet regions = new GridSegmenter(2, 3).segment(img);
        Masker masker = new Masker(img, regions, Fill.BLACK);
        CellScorer scorer = new CellScorer();
        OrderScore good = Baselines.score("good", new int[]{1, 3, 4, 0, 5, 2}, masker, scorer, 0.2, 0);
        OrderScore bad = Baselines.score("bad", new int[]{2, 0, 5, 4, 3, 1}, masker, scorer, 0.2, 6);
        assertThat(good.insertionAuc()).isGreaterThan(bad.insertionAuc());
        assertThat(good.deletionAuc()).isLessThan(bad.deletionAuc());
        assertThat(bad.forwardPasses()).isEqualTo(18);
        // only target 0 gains more than 0.2 from the image (0.67 vs 0.15)
        assertThat(good.sensitive().targets()).containsExactly(0);
    }

    @Test
    void randomOrderIsASeededPermutation() {
        int[] a = Baselines.randomOrder(64, 42);
        int[] b = Baselines.randomOrder(64, 42);
        int[] c = Baselines.randomOrder(64, 43);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 64; i++) {
            assertThat(sorted[i]).isEqualTo(i);
        }
    }

    @Test
    void rankMapRunsFromOneToZero() {
        assertThat(Baselines.rankScores(new int[]{2, 0, 1})).containsExactly(0.5, 0.0, 1.0);
    }

    @Test
    void summaryAveragesWhatEachItemHas() {
        MethodSummary s = MethodSummary.of(List.of(
                new ItemScores(0.6, 0.2, 0.9, 0.5, 0.1, 0.8, true, null, 10),
                new ItemScores(0.4, 0.4, 0.7, null, null, null, false, true, 20)));
        assertThat(s.items()).isEqualTo(2);
        assertThat(s.insertionAuc()).isCloseTo(0.5, within(1e-15));
        assertThat(s.deletionAuc()).isCloseTo(0.3, within(1e-15));
        assertThat(s.highestConfidence()).isCloseTo(0.8, within(1e-15));
        assertThat(s.sensitiveItems()).isEqualTo(1);
        assertThat(s.sensitiveInsertionAuc()).isEqualTo(0.5);
        assertThat(s.boxItems()).isEqualTo(2);
        assertThat(s.pointingBox()).isEqualTo(0.5);
        assertThat(s.maskItems()).isEqualTo(1);
        assertThat(s.pointingMask()).isEqualTo(1.0);
        assertThat(s.forwardPasses()).isEqualTo(30);
        assertThat(MethodSummary.of(List.of()).insertionAuc()).isNaN();
    }
}
