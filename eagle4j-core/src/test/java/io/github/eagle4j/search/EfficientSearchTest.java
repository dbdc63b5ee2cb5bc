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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.github.eagle4j.ProgressListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EfficientSearchTest {

    /**
     * Example C (§6). Batches: iteration 0 = original + blank + 6 singletons (14 images); iteration 1 is
     * scoped with 5 regions unplaced ≥ s + p = 4, so its back step (pending [0, 5]) shares the call (4 + 4);
     * iteration 2 is a full re-ranking of [3, 0] with no back step (4); iteration 3 places 0 for free.
     */
    @Test
    void exampleC() {
        FunctionScorer scorer = Examples.exampleB();
        EfficientSearch.Result result = new EfficientSearch(Objective.DEFAULT, 2, 2, 2)
                .run(scorer, Examples.areasAB(), ProgressListener.NONE);
        SearchTrace trace = result.trace();

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
        assertThat(trace.imagesScored()).isEqualTo(26);
        assertThat(result.iterations()).isEqualTo(3);
        assertThat(scorer.batchSizes()).containsExactly(14, 8, 4);
        assertThat(trace.scorerCalls()).isEqualTo(3);
        assertThat(trace.exactness()).isEqualTo(Exactness.HEURISTIC);
        assertNoneInterpolated(trace);
    }

    @Test
    void exampleAGivesAsOrderAndCurve() {
        SearchTrace trace = new EfficientSearch(Objective.DEFAULT, 2, 2, 2)
                .search(Examples.exampleA(), Examples.areasAB(), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 2, 1, 3, 5, 4);
        assertObjectives(trace, 0.71, 1.01, 1.26, 1.41, 1.54, 1.64);
        assertInsertionTokens(trace, new double[][] {
                {0.40, 0.25}, {0.60, 0.35}, {0.65, 0.55}, {0.65, 0.70}, {0.70, 0.78}, {0.80, 0.78}});
        assertDeletionTokens(trace, new double[][] {
                {0.50, 0.73}, {0.30, 0.63}, {0.25, 0.43}, {0.25, 0.28}, {0.20, 0.20}, {0.10, 0.20}});
        assertAreas(trace, 2 / 24.0, 6 / 24.0, 9 / 24.0, 14 / 24.0, 20 / 24.0, 1.0);
        assertThat(trace.imagesScored()).isEqualTo(26);
    }

    @Test
    void tenRegionCaseDiffersFromFullGreedy() {
        FunctionScorer scorer = Examples.tenRegions();
        EfficientSearch.Result result = new EfficientSearch(Objective.DEFAULT, 3, 2, 3)
                .run(scorer, Examples.equalAreas(10), ProgressListener.NONE);

        assertThat(result.trace().order()).containsExactly(0, 7, 4, 8, 2, 1, 5, 6, 3, 9);
        assertThat(result.trace().imagesScored()).isEqualTo(58);
        assertThat(result.iterations()).isEqualTo(5);
        // iteration 0: 2 + 20; 1 and 2 scoped with 8 and 6 unplaced >= s + p: 6 + 4 merged; 3 is a full
        // re-ranking (8) so its back step is its own call (4); 4 is scoped over the last 2 (4)
        assertThat(scorer.batchSizes()).containsExactly(22, 10, 10, 8, 4, 4);
    }

    /**
     * N = 8, (3, 2, 5): iteration 2 is scoped with 4 unplaced < s + p = 5, so the front winner could be
     * pending; its back step stays a call of its own (6, then 4).
     */
    @Test
    void scopedStepWithPossibleOverlapKeepsTwoCalls() {
        FunctionScorer scorer = Examples.modular(8);
        SearchTrace trace = new EfficientSearch(Objective.DEFAULT, 3, 2, 5)
                .search(scorer, Examples.equalAreas(8), ProgressListener.NONE);

        assertThat(scorer.batchSizes()).containsExactly(18, 10, 6, 4, 4);
        assertThat(trace.imagesScored()).isEqualTo(42);
        assertThat(trace.scorerCalls()).isEqualTo(5);
    }

    /** The stored objective uses the λ searched with (§15.4), not the authors' ins + 1 − del. */
    @Test
    void storedObjectiveUsesTheSearchedLambdas() {
        Objective half = new Objective(1, 0.5);
        SearchTrace trace = new EfficientSearch(half, 2, 2, 2)
                .search(Examples.exampleB(), Examples.areasAB(), ProgressListener.NONE);

        for (SearchStep step : trace.steps()) {
            assertThat(step.objective()).isEqualTo(half.value(step.insertionProbs(), step.deletionProbs()));
        }
        assertThat(trace.steps().get(trace.steps().size() - 1).objective())
                .isEqualTo(half.value(trace.fullImageProbs(), trace.blankImageProbs()));
    }

    /**
     * Own case (see {@link OwnCase}), (s, p, u) = (2, 1, 2). F values as in the full greedy hand trace.
     * <pre>
     * init      score V, ∅                                  org [1.0], baseline [0.0]
     * iter 0    full: F({0..4}) = 0.80, 0.70, 0.60, 0.24, 0.16 → ranking 0,1,2,3,4
     *           front ← 0 (point ins 0.15, del 0.35, F 0.80); back ← 4, the last of the ranking
     *           (point: p(V∖{4}) = 0.92, p({4}) = 0.08, F 1.84, from 4's own two images); ranked [1,2,3]
     * iter 1    1 % 2 ≠ 0 → scoped over [1, 2]: F({0,1}) = 1.00, F({0,2}) = 0.90 → front ← 1
     *           (point 0.25, 0.25, F 1.00); ranked [2, 3]; 2 > p → back step, pending [3]:
     *           G_3 = F(V∖{4,3}) = p({0,1,2}) + 1 − p({3,4}) = 0.80 + 1 − 0.20 = 1.60 → back ← 3
     *           (point 0.80, 0.20); ranked [2]. 3 unplaced ≥ s + p = 3: one call of 4 + 2 images
     * iter 2    one left → front ← 2, no image
     * order [0, 1, 2] + reverse([4, 3]) = [0, 1, 2, 3, 4] (full greedy: [0, 3, 1, 2, 4])
     * curve: (0.15, 0.35) (0.25, 0.25) (0.80, 0.20) (0.92, 0.08) (1.0, 0.0); F 0.80 1.00 1.60 1.84 2.00
     * images 2 + 10 + 4 + 2 = 18 in 2 calls (12, 6)
     * </pre>
     */
    @Test
    void ownThreeWayCaseFollowsTheHandTrace() {
        FunctionScorer scorer = OwnCase.scorer();
        EfficientSearch.Result result = new EfficientSearch(Objective.DEFAULT, 2, 1, 2)
                .run(scorer, Examples.equalAreas(5), ProgressListener.NONE);
        SearchTrace trace = result.trace();

        assertThat(trace.order()).containsExactly(0, 1, 2, 3, 4);
        assertInsertionMeans(trace, 0.15, 0.25, 0.80, 0.92, 1.0);
        assertDeletionMeans(trace, 0.35, 0.25, 0.20, 0.08, 0.0);
        assertObjectives(trace, 0.80, 1.00, 1.60, 1.84, 2.00);
        assertAreas(trace, 0.2, 0.4, 0.6, 0.8, 1.0);
        assertThat(trace.imagesScored()).isEqualTo(18);
        assertThat(result.iterations()).isEqualTo(2);
        assertThat(scorer.batchSizes()).containsExactly(12, 6);
    }

    /** The §6 count table: images and loop iterations depend only on N, s, p, u. */
    @ParameterizedTest(name = "N={0} (s,p,u)=({1},{2},{3}) -> {4} images, {5} iterations")
    @CsvSource({
            "6, 2, 2, 2, 26, 3",
            "10, 3, 2, 3, 58, 5",
            "33, 8, 4, 10, 416, 18",
            "48, 6, 4, 15, 560, 25",
            "53, 8, 4, 10, 746, 28",
            "54, 6, 4, 15, 644, 28",
            "64, 10, 8, 5, 1412, 35",
            "64, 6, 4, 15, 784, 33",
            "64, 8, 4, 10, 944, 33",
            "125, 8, 4, 10, 2264, 64"})
    void countTable(int n, int s, int p, int u, long images, int iterations) {
        FunctionScorer scorer = Examples.modular(n);
        EfficientSearch.Result result = new EfficientSearch(Objective.DEFAULT, s, p, u)
                .run(scorer, Examples.equalAreas(n), ProgressListener.NONE);

        assertThat(result.trace().imagesScored()).isEqualTo(images);
        assertThat(scorer.images()).isEqualTo(images);
        assertThat(result.iterations()).isEqualTo(iterations);
        assertThat(result.trace().steps()).hasSize(n);
    }

    @Test
    void defaultsAreTheAuthorsClassDefaults() {
        EfficientSearch search = new EfficientSearch(Objective.DEFAULT);

        assertThat(search.name()).isEqualTo("efficient");
        assertThat(search.settings()).containsExactly(entry("lambda1", 1.0), entry("lambda2", 1.0),
                entry("searchScope", 10), entry("pendingSamples", 8), entry("updateStep", 5));
    }

    /**
     * Merging a back step into the front step's call changes only the call count: compare with a literal,
     * unmerged transcription of the pseudocode on random three-way scorers.
     */
    @Test
    void mergedCallsMatchTheLiteralPseudocode() {
        Random rnd = new Random(42);
        int[][] knobs = {{2, 2, 2}, {3, 2, 3}, {1, 1, 1}, {4, 1, 2}, {2, 3, 5}, {5, 5, 1}, {8, 4, 10}};
        for (int n = 2; n <= 17; n++) {
            for (int[] k : knobs) {
                long seed = rnd.nextLong();
                FunctionScorer a = randomThreeWay(n, seed);
                FunctionScorer b = randomThreeWay(n, seed);
                SearchTrace trace = new EfficientSearch(Objective.DEFAULT, k[0], k[1], k[2])
                        .search(a, Examples.equalAreas(n), ProgressListener.NONE);
                EfficientReference.Outcome ref = EfficientReference.run(b, Objective.DEFAULT, k[0], k[1], k[2]);

                String what = "N=" + n + " knobs=" + java.util.Arrays.toString(k);
                assertThat(trace.order()).as(what).containsExactly(ref.order());
                assertThat(trace.imagesScored()).as(what).isEqualTo(ref.images());
                assertThat(trace.scorerCalls()).as(what).isLessThanOrEqualTo(b.calls());
                for (int j = 0; j < n; j++) {
                    assertThat(trace.steps().get(j).insertionProbs()).as(what).containsExactly(ref.points().get(j)[0]);
                    assertThat(trace.steps().get(j).deletionProbs()).as(what).containsExactly(ref.points().get(j)[1]);
                }
            }
        }
    }

    /**
     * All F tied. Full steps sort by id; the back end removes the best G, ties to the lower id, so the lower
     * id of a tied pending pair is placed later: N = 6, (2, 2, 2): front 0, back 5 (last of the ranking);
     * iter 1 front 1, pending [3, 4] tie → back 3; iter 2 front 2; then 4 → [0, 1, 2, 4, 3, 5].
     */
    @Test
    void tiesGoToTheLowerIdAtEveryChoice() {
        SearchTrace trace = new EfficientSearch(Objective.DEFAULT, 2, 2, 2)
                .search(FunctionScorer.additive(0.1, 0.1, 0.1, 0.1, 0.1, 0.1), Examples.equalAreas(6),
                        ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 1, 2, 4, 3, 5);
    }

    @Test
    void twoRegionsNeedNoBackStep() {
        FunctionScorer scorer = FunctionScorer.additive(0.2, 0.7);
        SearchTrace trace = new EfficientSearch(Objective.DEFAULT, 2, 2, 2)
                .search(scorer, Examples.equalAreas(2), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(1, 0);
        assertThat(trace.steps()).hasSize(2);
        assertThat(trace.imagesScored()).isEqualTo(6);
        assertVector("last ins", trace.steps().get(1).insertionProbs(), 0.9);
    }

    @Test
    void reportsProgressAfterEachPlacedRegion() {
        List<long[]> calls = new ArrayList<>();
        new EfficientSearch(Objective.DEFAULT, 2, 2, 2).search(Examples.exampleB(), Examples.areasAB(),
                (placed, total, images) -> calls.add(new long[] {placed, total, images}));

        assertThat(calls).containsExactly(new long[] {1, 6, 14}, new long[] {2, 6, 14}, new long[] {3, 6, 22},
                new long[] {4, 6, 22}, new long[] {5, 6, 26}, new long[] {6, 6, 26});
    }

    @Test
    void rejectsKnobsBelowOne() {
        assertThatThrownBy(() -> new EfficientSearch(Objective.DEFAULT, 0, 2, 2)).hasMessageContaining("searchScope");
        assertThatThrownBy(() -> new EfficientSearch(Objective.DEFAULT, 2, 0, 2)).hasMessageContaining("pendingSamples");
        assertThatThrownBy(() -> new EfficientSearch(Objective.DEFAULT, 2, 2, 0)).hasMessageContaining("updateStep");
    }

    /** Random singles, pairs and triples, scaled into [0, 1]. */
    static FunctionScorer randomThreeWay(int n, long seed) {
        Random rnd = new Random(seed);
        double[] single = new double[n];
        int terms = 4;
        int[][] triples = new int[terms][];
        double[] tw = new double[terms];
        double total = 0;
        for (int r = 0; r < n; r++) {
            single[r] = rnd.nextDouble();
            total += single[r];
        }
        for (int j = 0; j < terms; j++) {
            triples[j] = new int[] {rnd.nextInt(n), rnd.nextInt(n), rnd.nextInt(n)};
            tw[j] = 3 * rnd.nextDouble();
            total += tw[j];
        }
        double scale = total;
        return new FunctionScorer(n, 1, s -> {
            double v = 0;
            for (int r = s.nextSetBit(0); r >= 0; r = s.nextSetBit(r + 1)) {
                v += single[r];
            }
            for (int j = 0; j < terms; j++) {
                if (FunctionScorer.has(s, triples[j])) {
                    v += tw[j];
                }
            }
            return new double[] {v / scale};
        });
    }
}
