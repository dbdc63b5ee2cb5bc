package io.github.eagle4j.search;

import io.github.eagle4j.Exactness;
import static io.github.eagle4j.search.TraceAssert.assertAreas;
import static io.github.eagle4j.search.TraceAssert.assertDeletionTokens;
import static io.github.eagle4j.search.TraceAssert.assertInsertionTokens;
import static io.github.eagle4j.search.TraceAssert.assertNoneInterpolated;
import static io.github.eagle4j.search.TraceAssert.assertObjectives;
import static io.github.eagle4j.search.TraceAssert.assertVector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.github.eagle4j.ProgressListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LazyGreedySearchTest {

    /** Modular: each step re-scores only the top, which stays on top; 2 + 12 + 2·5 = 24 images. */
    @Test
    void exampleAWithBatchOne() {
        FunctionScorer scorer = Examples.exampleA();
        SearchTrace trace = new LazyGreedySearch(Objective.DEFAULT, 1)
                .search(scorer, Examples.areasAB(), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 2, 1, 3, 5, 4);
        assertObjectives(trace, 0.71, 1.01, 1.26, 1.41, 1.54, 1.64);
        assertInsertionTokens(trace, new double[][] {
                {0.40, 0.25}, {0.60, 0.35}, {0.65, 0.55}, {0.65, 0.70}, {0.70, 0.78}, {0.80, 0.78}});
        assertDeletionTokens(trace, new double[][] {
                {0.50, 0.73}, {0.30, 0.63}, {0.25, 0.43}, {0.25, 0.28}, {0.20, 0.20}, {0.10, 0.20}});
        assertAreas(trace, 2 / 24.0, 6 / 24.0, 9 / 24.0, 14 / 24.0, 20 / 24.0, 1.0);
        assertVector("org", trace.fullImageProbs(), 0.80, 0.78);
        assertVector("baseline", trace.blankImageProbs(), 0.10, 0.20);
        assertThat(trace.imagesScored()).isEqualTo(24);
        assertThat(scorer.batchSizes()).containsExactly(14, 2, 2, 2, 2, 2);
        assertThat(trace.exactness()).isEqualTo(Exactness.EXACT_IF_SUBMODULAR);
        assertNoneInterpolated(trace);
    }

    @Test
    void exampleAWithBatchTwoCosts32() {
        SearchTrace trace = new LazyGreedySearch(Objective.DEFAULT, 2)
                .search(Examples.exampleA(), Examples.areasAB(), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 2, 1, 3, 5, 4);
        assertThat(trace.imagesScored()).isEqualTo(32);
    }

    @Test
    void exampleBWithBatchOne() {
        SearchTrace trace = new LazyGreedySearch(Objective.DEFAULT, 1)
                .search(Examples.exampleB(), Examples.areasAB(), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(4, 1, 3, 0, 5, 2);
        assertObjectives(trace, 0.755, 1.255, 1.555, 1.655, 1.715, 1.765);
        assertThat(trace.imagesScored()).isEqualTo(24);
    }

    /**
     * §7's unit test. F(∅) = 0.04, singleton gains 0.94, 0.86, 0.74, 0.08, 0, 0. Accept 0; rescore 1 (gain
     * 0.16), rescore 2 (0.04), accept 1; rescore 3 (0.08), accept 3; rescore 2 (0.74), accept 2; rescore 4
     * (0), accept; rescore 5 (0), accept. 2 + 12 + 6·2 = 26 images.
     */
    @Test
    void lazyDiffersFromFullOnAThreeWayTerm() {
        FunctionScorer scorer = Examples.lazyDiffersFromFull();
        SearchTrace trace = new LazyGreedySearch(Objective.DEFAULT, 1)
                .search(scorer, Examples.equalAreas(6), ProgressListener.NONE);
        SearchTrace full = new FullGreedySearch(Objective.DEFAULT)
                .search(Examples.lazyDiffersFromFull(), Examples.equalAreas(6), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 1, 3, 2, 4, 5);
        assertObjectives(trace, 0.98, 1.14, 1.22, 1.96, 1.96, 1.96);
        assertThat(trace.imagesScored()).isEqualTo(26);
        assertThat(scorer.batchSizes()).containsExactly(14, 2, 2, 2, 2, 2, 2);
        assertThat(full.order()).containsExactly(0, 1, 2, 3, 4, 5);
        assertObjectives(full, 0.98, 1.14, 1.88, 1.96, 1.96, 1.96);
        assertThat(full.imagesScored()).isEqualTo(42);
    }

    @Test
    void batchTwoRecoversFullGreedysOrderOnTheThreeWayCase() {
        SearchTrace trace = new LazyGreedySearch(Objective.DEFAULT, 2)
                .search(Examples.lazyDiffersFromFull(), Examples.equalAreas(6), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(trace.imagesScored()).isEqualTo(32);
    }

    /**
     * Modular, N = 64, 2 targets: step 1 is free after the first call, every later step re-scores
     * min(b, remaining) entries: b = 1 → 2 + 128 + 2·63 = 256 = 4N; b = 4 → 2 + 128 + 2·246 = 622;
     * b = 8 → 2 + 128 + 2·476 = 1,082 (the §7 table).
     */
    @ParameterizedTest(name = "b={0} -> {1} images")
    @CsvSource({"1, 256", "4, 622", "8, 1082"})
    void modularSixtyFourMatchesFullGreedy(int b, long images) {
        SearchTrace full = new FullGreedySearch(Objective.DEFAULT)
                .search(Examples.modular(64), Examples.equalAreas(64), ProgressListener.NONE);
        SearchTrace lazy = new LazyGreedySearch(Objective.DEFAULT, b)
                .search(Examples.modular(64), Examples.equalAreas(64), ProgressListener.NONE);

        assertThat(full.imagesScored()).isEqualTo(4160);
        assertThat(lazy.imagesScored()).isEqualTo(images);
        assertThat(lazy.order()).containsExactly(full.order());
        for (int k = 0; k < 64; k++) {
            assertThat(lazy.steps().get(k).insertionProbs()).containsExactly(full.steps().get(k).insertionProbs());
        }
    }

    @Test
    void additiveScorerGivesExactWeightOrder() {
        Random rnd = new Random(11);
        int n = 20;
        double[] w = new double[n];
        Integer[] ranks = new Integer[n];
        for (int r = 0; r < n; r++) {
            w[r] = (1 + rnd.nextInt(1000) * n + r) / (1000.0 * n * n);
            ranks[r] = r;
        }
        Arrays.sort(ranks, (a, b) -> Double.compare(w[b], w[a]));
        for (int b : new int[] {1, 3, 50}) {
            SearchTrace trace = new LazyGreedySearch(Objective.DEFAULT, b)
                    .search(FunctionScorer.additive(w), Examples.equalAreas(n), ProgressListener.NONE);
            assertThat(trace.order()).as("b=%d", b)
                    .containsExactly(Arrays.stream(ranks).mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void tiesGoToTheLowerId() {
        SearchTrace trace = new LazyGreedySearch(Objective.DEFAULT, 1)
                .search(FunctionScorer.additive(0.1, 0.1, 0.1, 0.1, 0.1), Examples.equalAreas(5), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void reportsProgressAfterEachPlacedRegion() {
        List<long[]> calls = new ArrayList<>();
        new LazyGreedySearch(Objective.DEFAULT, 1).search(Examples.exampleA(), Examples.areasAB(),
                (placed, total, images) -> calls.add(new long[] {placed, total, images}));

        assertThat(calls).containsExactly(new long[] {1, 6, 14}, new long[] {2, 6, 16}, new long[] {3, 6, 18},
                new long[] {4, 6, 20}, new long[] {5, 6, 22}, new long[] {6, 6, 24});
    }

    @Test
    void settingsAndValidation() {
        LazyGreedySearch search = new LazyGreedySearch(Objective.DEFAULT, 4, EarlyStop.DEFAULT);

        assertThat(search.name()).isEqualTo("lazy");
        assertThat(search.settings()).containsExactly(entry("lambda1", 1.0), entry("lambda2", 1.0),
                entry("lazyBatch", 4), entry("earlyStopEpsilon", 0.01));
        assertThatThrownBy(() -> new LazyGreedySearch(Objective.DEFAULT, 0)).hasMessageContaining("batch size");
    }
}
