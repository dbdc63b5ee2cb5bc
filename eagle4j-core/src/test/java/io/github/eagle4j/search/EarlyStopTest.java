package io.github.eagle4j.search;

import io.github.eagle4j.Exactness;
import static io.github.eagle4j.search.TraceAssert.assertAreas;
import static io.github.eagle4j.search.TraceAssert.assertDeletionMeans;
import static io.github.eagle4j.search.TraceAssert.assertInsertionMeans;
import static io.github.eagle4j.search.TraceAssert.assertObjectives;
import static io.github.eagle4j.search.TraceAssert.assertVector;
import static io.github.eagle4j.search.FunctionScorer.has;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.github.eagle4j.ProgressListener;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A saturating case, N = 8, one target: p(S) = 0.9·[{0,1} ⊆ S] + Σ_{r∈S, r≥2} u_r with
 * u = (·, ·, 0.004, 0.012, 0.008, 0.002, 0.010, 0.006), U = Σu = 0.042; p(V) = 0.942, p(∅) = 0, so
 * F(V) = 1.942. Regions have [3, 1, 2, 1, 4, 1, 2, 2] of 16 pixels.
 * <pre>
 * step 1: F({0}) = F({1}) = 0 + 1 − 0.042 = 0.958 (tie → 0); F({c}) = 0.058 + 2u_c for c ≥ 2
 * step 2: F({0,1}) = 0.9 + 1 − 0.042 = 1.858; F({0,c}) = 0.958 + 2u_c → rest by u: 3, 6, 4, 7, 2, 5
 * ε = 0.05: threshold 1.942 − 0.0971 = 1.8449 → stop after step 2
 * </pre>
 * Interpolation from (ins 0.9, del 0.042) at area 4/16 to (0.942, 0) at area 1, t = (area − 4/16)/(12/16):
 * regions 3, 6, 4, 7, 2 at areas 5, 7, 11, 13, 15 /16 → t = 1, 3, 7, 9, 11 /12; region 5 gets (0.942, 0).
 */
class EarlyStopTest {
    private static final double[] U = {0, 0, 0.004, 0.012, 0.008, 0.002, 0.010, 0.006};
    private static final double[] AREAS = Examples.areas(3, 1, 2, 1, 4, 1, 2, 2);

    static FunctionScorer saturating() {
        return new FunctionScorer(8, 1, s -> {
            double p = has(s, 0, 1) ? 0.9 : 0.0;
            for (int r = s.nextSetBit(2); r >= 0; r = s.nextSetBit(r + 1)) {
                p += U[r];
            }
            return new double[] {p};
        });
    }

    private static void assertStoppedAfterTwo(SearchTrace trace) {
        assertThat(trace.order()).containsExactly(0, 1, 3, 6, 4, 7, 2, 5);
        assertInsertionMeans(trace, 0.0, 0.9, 0.9035, 0.9105, 0.9245, 0.9315, 0.9385, 0.942);
        assertDeletionMeans(trace, 0.042, 0.042, 0.0385, 0.0315, 0.0175, 0.0105, 0.0035, 0.0);
        assertObjectives(trace, 0.958, 1.858, 1.865, 1.879, 1.907, 1.921, 1.935, 1.942);
        assertAreas(trace, 3 / 16.0, 4 / 16.0, 5 / 16.0, 7 / 16.0, 11 / 16.0, 13 / 16.0, 15 / 16.0, 1.0);
        assertThat(trace.steps()).extracting(SearchStep::interpolated)
                .containsExactly(false, false, true, true, true, true, true, false);
        assertThat(trace.approximate()).isTrue();
        assertVector("org", trace.fullImageProbs(), 0.942);
        assertVector("baseline", trace.blankImageProbs(), 0.0);
    }

    /** Full greedy stopping after step K costs 2 + K·(2N − K + 1): here 2 + 2·15 = 32 instead of 72. */
    @Test
    void fullGreedyStopsAndInterpolates() {
        FunctionScorer scorer = saturating();
        SearchTrace trace = new FullGreedySearch(Objective.DEFAULT, new EarlyStop(0.05))
                .search(scorer, AREAS, ProgressListener.NONE);

        assertStoppedAfterTwo(trace);
        assertThat(trace.imagesScored()).isEqualTo(32);
        assertThat(scorer.batchSizes()).containsExactly(2 + 16, 14);
        assertThat(trace.exactness()).isEqualTo(Exactness.EXACT);
    }

    /** Lazy: F(V) comes from its own first call; 2 + 16 + 2 = 20 images (18, then re-scoring region 1). */
    @Test
    void lazyGreedyStopsAndInterpolates() {
        FunctionScorer scorer = saturating();
        SearchTrace trace = new LazyGreedySearch(Objective.DEFAULT, 1, new EarlyStop(0.05))
                .search(scorer, AREAS, ProgressListener.NONE);

        assertStoppedAfterTwo(trace);
        assertThat(trace.imagesScored()).isEqualTo(20);
        assertThat(scorer.batchSizes()).containsExactly(18, 2);
    }

    /**
     * Default ε = 0.01: threshold 1.92258; F_3..F_6 = 1.882, 1.902, 1.918, 1.930 → stop after 6 with 2 left;
     * region 2 lies at area 15/16, t = (15 − 13)/(16 − 13) = 2/3 → F = 1.930 + 2/3·0.012 = 1.938;
     * 2 + 6·11 = 68 images.
     */
    @Test
    void defaultEpsilonStopsLater() {
        SearchTrace trace = new FullGreedySearch(Objective.DEFAULT, EarlyStop.DEFAULT)
                .search(saturating(), AREAS, ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 1, 3, 6, 4, 7, 2, 5);
        assertObjectives(trace, 0.958, 1.858, 1.882, 1.902, 1.918, 1.930, 1.938, 1.942);
        assertThat(trace.imagesScored()).isEqualTo(68);
        assertThat(trace.steps()).extracting(SearchStep::interpolated)
                .containsExactly(false, false, false, false, false, false, true, false);
    }

    /** F on A rises strictly to F(V) = 1.64 only at the last step: no stop, N(N+1) + 2 = 44 images. */
    @Test
    void neverStoppingCostsTwoImagesMore() {
        FunctionScorer scorer = Examples.exampleA();
        SearchTrace trace = new FullGreedySearch(Objective.DEFAULT, new EarlyStop(0))
                .search(scorer, Examples.areasAB(), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 2, 1, 3, 5, 4);
        assertObjectives(trace, 0.71, 1.01, 1.26, 1.41, 1.54, 1.64);
        assertThat(trace.imagesScored()).isEqualTo(44);
        assertThat(scorer.batchSizes()).containsExactly(14, 10, 8, 6, 4, 2);
        assertThat(trace.approximate()).isFalse();
    }

    /**
     * ε = 0.1 on A: threshold 1.476, F_5 = 1.54 → stop with one region left, whose point is the measured
     * original/blank pair: nothing interpolated, 2 + 5·8 = 42 images.
     */
    @Test
    void stoppingWithOneRegionLeftInterpolatesNothing() {
        SearchTrace trace = new FullGreedySearch(Objective.DEFAULT, new EarlyStop(0.1))
                .search(Examples.exampleA(), Examples.areasAB(), ProgressListener.NONE);

        assertThat(trace.order()).containsExactly(0, 2, 1, 3, 5, 4);
        assertObjectives(trace, 0.71, 1.01, 1.26, 1.41, 1.54, 1.64);
        assertThat(trace.imagesScored()).isEqualTo(42);
        assertThat(trace.steps()).noneMatch(SearchStep::interpolated);
        assertThat(trace.approximate()).isFalse();
    }

    @Test
    void reportsEveryPlacedRegion() {
        List<long[]> calls = new ArrayList<>();
        new FullGreedySearch(Objective.DEFAULT, new EarlyStop(0.05)).search(saturating(), AREAS,
                (placed, total, images) -> calls.add(new long[] {placed, total, images}));

        assertThat(calls).hasSize(8);
        assertThat(calls.get(1)).containsExactly(2, 8, 32);
        assertThat(calls.get(7)).containsExactly(8, 8, 32);
    }

    @Test
    void epsilonIsValidatedAndRecorded() {
        assertThatThrownBy(() -> new EarlyStop(-0.1)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new EarlyStop(Double.NaN)).hasMessageContaining("epsilon");
        assertThat(new FullGreedySearch(Objective.DEFAULT, EarlyStop.DEFAULT).settings())
                .containsExactly(entry("lambda1", 1.0), entry("lambda2", 1.0), entry("earlyStopEpsilon", 0.01));
        assertThat(EarlyStop.DEFAULT.threshold(-2.0)).isEqualTo(-2.02);
    }
}
