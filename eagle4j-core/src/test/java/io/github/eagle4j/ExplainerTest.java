package io.github.eagle4j;

import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Explainer end to end on a scorer that reads the masked images themselves. */
class ExplainerTest {
    /** 3×2 grid on a 12×8 image: six cells of 4×4 pixels, each painted its own non-black colour. */
    static RgbImage cells() {
        int[] px = new int[12 * 8];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 12; x++) {
                int cell = (y / 4) * 3 + x / 4;
                px[y * 12 + x] = 0x102030 + cell * 0x101010;
            }
        }
        return RgbImage.of(12, 8, px);
    }

    /** Probability = 0.1 + Σ weights of the cells whose pixels are visible (not black). Records batch sizes. */
    static class AdditiveCellScorer implements TokenScorer {
        final double[] weights;
        final List<Integer> batches = new ArrayList<>();
        final ScoringTask task = new ScoringTask("q", "a", List.of("a"), List.of(new Target(0, "a", 7)));

        AdditiveCellScorer(double... weights) {
            this.weights = weights;
        }

        @Override
        public ScoringTask task() {
            return task;
        }

        @Override
        public double[][] score(List<RgbImage> images) {
            batches.add(images.size());
            double[][] out = new double[images.size()][1];
            for (int i = 0; i < images.size(); i++) {
                double p = 0.1;
                for (int cell = 0; cell < 6; cell++) {
                    int x = (cell % 3) * 4;
                    int y = (cell / 3) * 4;
                    if (images.get(i).rgb(x, y) != 0) {
                        p += weights[cell];
                    }
                }
                out[i][0] = p;
            }
            return out;
        }
    }

    @Test
    void fullGreedyOnAnAdditiveScorerFollowsTheWeightsOneBatchPerStep() {
        AdditiveCellScorer scorer = new AdditiveCellScorer(0.05, 0.30, 0.01, 0.20, 0.10, 0.14);
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).build();
        Explanation e = new Explainer(options).explain(cells(), scorer);

        assertThat(e.curves().order()).containsExactly(1, 3, 5, 4, 0, 2);
        assertThat(e.cost().forwardPasses()).isEqualTo(42);
        assertThat(scorer.batches).containsExactly(12, 10, 8, 6, 4, 2);
        assertThat(e.cost().scorerCalls()).isEqualTo(6);

        // analytic insertion AUC: equal areas 1/6; y_0 = 0.1 (black image), y_k = 0.1 + sum of the k largest weights
        double[] sorted = {0.30, 0.20, 0.14, 0.10, 0.05, 0.01};
        double auc = 0;
        double previous = 0.1;
        double cumulative = 0.1;
        for (double w : sorted) {
            cumulative += w;
            auc += (1 / 6.0) * (previous + cumulative) / 2;
            previous = cumulative;
        }
        assertThat(e.metrics().insertionAuc()).isCloseTo(auc, within(1e-12));
        assertThat(e.metrics().fullImageProbs()[0]).isCloseTo(0.90, within(1e-12));
        assertThat(e.metrics().blankImageProbs()[0]).isCloseTo(0.10, within(1e-12));
        assertThat(e.regionScores()[1]).isEqualTo(1.0);
        assertThat(e.regionScores()[2]).isEqualTo(0.0);
        assertThat(e.ordering().exactness()).isEqualTo(Exactness.EXACT);
        assertThat(e.ordering().approximate()).isFalse();
        assertThat(e.provenance().segmentation().segmenter()).isEqualTo("grid");
        assertThat(e.provenance().regionCount()).isEqualTo(6);
    }

    @Test
    void lazyGreedyFindsTheSameOrderWithFewerImagesAndSaysItIsExactOnlyIfSubmodular() {
        AdditiveCellScorer scorer = new AdditiveCellScorer(0.05, 0.30, 0.01, 0.20, 0.10, 0.14);
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 3))
                .search(SearchKind.LAZY).lazyBatch(1).build();
        Explanation e = new Explainer(options).explain(cells(), scorer);
        assertThat(e.curves().order()).containsExactly(1, 3, 5, 4, 0, 2);
        assertThat(e.cost().forwardPasses()).isEqualTo(4 * 6); // 2 + 2N + 2(N−1) for a modular objective, b = 1
        assertThat(e.ordering().exactness()).isEqualTo(Exactness.EXACT_IF_SUBMODULAR);
    }

    @Test
    void efficientSearchAndEarlyStopAreReachableFromTheOptions() {
        AdditiveCellScorer scorer = new AdditiveCellScorer(0.05, 0.30, 0.01, 0.20, 0.10, 0.14);
        ExplainOptions efficient = ExplainOptions.builder().segmenter(new GridSegmenter(2, 3))
                .search(SearchKind.EFFICIENT).efficient(2, 2, 2).build();
        Explanation e = new Explainer(efficient).explain(cells(), scorer);
        assertThat(e.curves().order()).containsExactly(1, 3, 5, 4, 0, 2);
        assertThat(e.cost().forwardPasses()).isEqualTo(26);
        assertThat(e.ordering().exactness()).isEqualTo(Exactness.HEURISTIC);

        ExplainOptions early = ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).earlyStop(0.3).build();
        Explanation s = new Explainer(early).explain(cells(), new AdditiveCellScorer(0.05, 0.30, 0.01, 0.20, 0.10, 0.14));
        assertThat(s.ordering().approximate()).isTrue();
        assertThat(s.cost().forwardPasses()).isLessThan(42);
        assertThat(s.curves().interpolated()).contains(true);
    }

    @Test
    void aScorerReturningTheWrongShapeIsAScoringError() {
        TokenScorer broken = new AdditiveCellScorer(0.1, 0.1, 0.1, 0.1, 0.1, 0.1) {
            @Override
            public double[][] score(List<RgbImage> images) {
                return new double[images.size() - 1][1];
            }
        };
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Explainer(options).explain(cells(), broken))
                .isInstanceOf(ScoringException.class).hasMessageContaining("rows");
    }

    @Test
    void resultsDoNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).build();
            Explanation german = new Explainer(options).explain(cells(), new AdditiveCellScorer(0.05, 0.30, 0.01, 0.20, 0.10, 0.14));
            Locale.setDefault(Locale.ROOT);
            Explanation root = new Explainer(options).explain(cells(), new AdditiveCellScorer(0.05, 0.30, 0.01, 0.20, 0.10, 0.14));
            assertThat(german.curves().order()).isEqualTo(root.curves().order());
            assertThat(german.metrics().insertionAuc()).isEqualTo(root.metrics().insertionAuc());
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void optionsRejectNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExplainOptions.builder().lambdas(-1, 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lambda");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExplainOptions.builder().efficient(0, 8, 5).build())
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExplainOptions.builder().earlyStop(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
