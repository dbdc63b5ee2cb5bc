package io.github.eagle4j.search;

import io.github.eagle4j.Exactness;
import static io.github.eagle4j.search.TraceAssert.assertAreas;
import static io.github.eagle4j.search.TraceAssert.assertDeletionMeans;
import static io.github.eagle4j.search.TraceAssert.assertDeletionTokens;
import static io.github.eagle4j.search.TraceAssert.assertInsertionMeans;
import static io.github.eagle4j.search.TraceAssert.assertInsertionTokens;
import static io.github.eagle4j.search.TraceAssert.assertNoneInterpolated;
import static io.github.eagle4j.search.TraceAssert.assertObjectives;
import static io.github.eagle4j.search.TraceAssert.assertVector;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.eagle4j.ProgressListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FullGreedySearchTest {
    private static final double[] AREAS_AB = {2 / 24.0, 6 / 24.0, 9 / 24.0, 14 / 24.0, 20 / 24.0, 1.0};

    @Test
    void exampleA() {
        FunctionScorer scorer = Examples.exampleA();
        SearchTrace trace = new FullGreedySearch(Objective.DEFAULT).search(scorer, Examples.areasAB(), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 2, 1, 3, 5, 4);
        assertObjectives(trace, 0.71, 1.01, 1.26, 1.41, 1.54, 1.64);
        assertInsertionMeans(trace, 0.325, 0.475, 0.600, 0.675, 0.740, 0.790);
        assertDeletionMeans(trace, 0.615, 0.465, 0.340, 0.265, 0.200, 0.150);
        assertInsertionTokens(trace, new double[][] {
                {0.40, 0.25}, {0.60, 0.35}, {0.65, 0.55}, {0.65, 0.70}, {0.70, 0.78}, {0.80, 0.78}});
        assertDeletionTokens(trace, new double[][] {
                {0.50, 0.73}, {0.30, 0.63}, {0.25, 0.43}, {0.25, 0.28}, {0.20, 0.20}, {0.10, 0.20}});
        assertAreas(trace, AREAS_AB);
        assertVector("org", trace.fullImageProbs(), 0.80, 0.78);
        assertVector("baseline", trace.blankImageProbs(), 0.10, 0.20);
        assertThat(trace.imagesScored()).isEqualTo(42);
        assertThat(trace.scorerCalls()).isEqualTo(6);
        assertThat(scorer.batchSizes()).containsExactly(12, 10, 8, 6, 4, 2);
        assertThat(trace.exactness()).isEqualTo(Exactness.EXACT);
        assertNoneInterpolated(trace);
    }

    @Test
    void exampleB() {
        FunctionScorer scorer = Examples.exampleB();
        SearchTrace trace = new FullGreedySearch(Objective.DEFAULT).search(scorer, Examples.areasAB(), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(4, 1, 3, 0, 5, 2);
        assertObjectives(trace, 0.755, 1.255, 1.555, 1.655, 1.715, 1.765);
        assertInsertionMeans(trace, 0.085, 0.585, 0.735, 0.785, 0.815, 0.840);
        assertDeletionMeans(trace, 0.330, 0.330, 0.180, 0.130, 0.100, 0.075);
        assertInsertionTokens(trace, new double[][] {
                {0.05, 0.12}, {0.65, 0.52}, {0.65, 0.82}, {0.75, 0.82}, {0.75, 0.88}, {0.80, 0.88}});
        assertDeletionTokens(trace, new double[][] {
                {0.20, 0.46}, {0.20, 0.46}, {0.20, 0.16}, {0.10, 0.16}, {0.10, 0.10}, {0.05, 0.10}});
        assertAreas(trace, 4 / 24.0, 7 / 24.0, 12 / 24.0, 14 / 24.0, 20 / 24.0, 1.0);
        assertVector("org", trace.fullImageProbs(), 0.80, 0.88);
        assertVector("baseline", trace.blankImageProbs(), 0.05, 0.10);
        assertThat(trace.imagesScored()).isEqualTo(42);
        assertThat(trace.scorerCalls()).isEqualTo(6);
        assertThat(scorer.batchSizes()).containsExactly(12, 10, 8, 6, 4, 2);
        assertNoneInterpolated(trace);
    }

    @Test
    void lambdaAblationOnAKeepsTheOrderAndStoresTheWeightedObjective() {
        SearchTrace insightOnly = new FullGreedySearch(new Objective(1, 0))
                .search(Examples.exampleA(), Examples.areasAB(), ProgressListener.NONE);
        SearchTrace necessityOnly = new FullGreedySearch(new Objective(0, 1))
                .search(Examples.exampleA(), Examples.areasAB(), ProgressListener.NONE);

        assertThat(insightOnly.order()).containsExactly(0, 2, 1, 3, 5, 4);
        assertThat(necessityOnly.order()).containsExactly(0, 2, 1, 3, 5, 4);
        assertObjectives(insightOnly, 0.325, 0.475, 0.600, 0.675, 0.740, 0.790);
        assertObjectives(necessityOnly, 0.385, 0.535, 0.66, 0.735, 0.80, 0.85);
    }

    @Test
    void insightOnlyOnBIsMyopic() {
        SearchTrace trace = new FullGreedySearch(new Objective(1, 0))
                .search(Examples.exampleB(), Examples.areasAB(), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(3, 0, 5, 2, 4, 1);
        assertObjectives(trace, 0.225, 0.275, 0.305, 0.33, 0.34, 0.84);
    }

    @Test
    void tenRegionCaseCosts110Images() {
        SearchTrace trace = new FullGreedySearch(Objective.DEFAULT)
                .search(Examples.tenRegions(), Examples.equalAreas(10), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 7, 4, 8, 2, 6, 3, 9, 1, 5);
        assertThat(trace.imagesScored()).isEqualTo(110);
        assertThat(trace.scorerCalls()).isEqualTo(10);
    }

    /**
     * Own case, N = 5, one target, a three-way term: p(S) = 0.5·[{0,1,2} ⊆ S] + 0.15·[0] + 0.10·[1] + 0.05·[2]
     * + 0.12·[3] + 0.08·[4]; p(V) = 1, p(∅) = 0; λ = (1, 1), F(S) = p(S) + 1 − p(V∖S). Hand trace:
     * <pre>
     * step 1, S = ∅:       F({0}) = 0.15 + 1 − 0.35 = 0.80   F({1}) = 0.10 + 1 − 0.40 = 0.70
     *                      F({2}) = 0.05 + 1 − 0.45 = 0.60   F({3}) = 0.12 + 1 − 0.88 = 0.24
     *                      F({4}) = 0.08 + 1 − 0.92 = 0.16                                   → 0
     * step 2, S = {0}:     +1: 0.25 + 1 − 0.25 = 1.00   +2: 0.20 + 1 − 0.30 = 0.90
     *                      +3: 0.27 + 1 − 0.23 = 1.04   +4: 0.23 + 1 − 0.27 = 0.96          → 3
     * step 3, S = {0,3}:   +1: 0.37 + 1 − 0.13 = 1.24   +2: 0.32 + 1 − 0.18 = 1.14
     *                      +4: 0.35 + 1 − 0.15 = 1.20                                        → 1
     * step 4, S = {0,1,3}: +2: 0.92 + 1 − 0.08 = 1.84   +4: 0.45 + 1 − 0.05 = 1.40          → 2
     * step 5:              +4: 1 + 1 − 0 = 2.00                                              → 4
     * </pre>
     * Images 10 + 8 + 6 + 4 + 2 = 30 in 5 calls.
     */
    @Test
    void ownThreeWayCaseFollowsTheHandTrace() {
        FunctionScorer scorer = OwnCase.scorer();
        SearchTrace trace = new FullGreedySearch(Objective.DEFAULT).search(scorer, Examples.equalAreas(5), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 3, 1, 2, 4);
        assertObjectives(trace, 0.80, 1.04, 1.24, 1.84, 2.00);
        assertInsertionMeans(trace, 0.15, 0.27, 0.37, 0.92, 1.0);
        assertDeletionMeans(trace, 0.35, 0.23, 0.13, 0.08, 0.0);
        assertThat(scorer.batchSizes()).containsExactly(10, 8, 6, 4, 2);
    }

    @Test
    void additiveScorerGivesExactWeightOrder() {
        Random rnd = new Random(7);
        int n = 15;
        Integer[] ranks = new Integer[n];
        double[] w = new double[n];
        for (int r = 0; r < n; r++) {
            // distinct weights well apart, in a shuffled order
            w[r] = (1 + rnd.nextInt(1000) * n + r) / (1000.0 * n * n);
            ranks[r] = r;
        }
        java.util.Arrays.sort(ranks, (a, b) -> Double.compare(w[b], w[a]));
        SearchTrace trace = new FullGreedySearch(Objective.DEFAULT)
                .search(FunctionScorer.additive(w), Examples.equalAreas(n), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(java.util.Arrays.stream(ranks).mapToInt(Integer::intValue).toArray());
        assertThat(trace.imagesScored()).isEqualTo((long) n * (n + 1));
    }

    @Test
    void tiesGoToTheLowerId() {
        FunctionScorer flat = FunctionScorer.additive(0.1, 0.1, 0.1, 0.1, 0.1);
        SearchTrace trace = new FullGreedySearch(Objective.DEFAULT).search(flat, Examples.equalAreas(5), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void reportsProgressAfterEachPlacedRegion() {
        List<long[]> calls = new ArrayList<>();
        new FullGreedySearch(Objective.DEFAULT).search(Examples.exampleA(), Examples.areasAB(),
                (placed, total, images) -> calls.add(new long[] {placed, total, images}));

        assertThat(calls).containsExactly(new long[] {1, 6, 12}, new long[] {2, 6, 22}, new long[] {3, 6, 30},
                new long[] {4, 6, 36}, new long[] {5, 6, 40}, new long[] {6, 6, 42});
    }

    @Test
    void settingsNameTheLambdas() {
        FullGreedySearch search = new FullGreedySearch(new Objective(1, 0.5));

        assertThat(search.name()).isEqualTo("full");
        assertThat(search.settings()).containsExactly(
                org.assertj.core.api.Assertions.entry("lambda1", 1.0),
                org.assertj.core.api.Assertions.entry("lambda2", 0.5));
    }
}
