package io.github.eagle4j.search;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants every search keeps, on random scorers (additive, with pairwise interactions, saturating), random region
 * counts, region areas, lambdas and efficient-search knobs: the order is a permutation of 0..N-1, the images the
 * trace reports are the images the scorer was sent, the full greedy search sends exactly N(N+1) images and the lazy one
 * at most N(N+1) + 2, the same inputs (and for the fast search the same seed) give the same trace, and a budget is
 * never exceeded (a search either keeps it or refuses it before scoring).
 */
class SearchProperties {
    /** A random scorer: per target a base and per-region weights, optional pair interactions, squashed into [0, 1]. */
    record Case(int n, int targets, double[] base, double[][] weights, double[][] pairs, boolean saturate, double[] areas,
                double lambda1, double lambda2) {
        FunctionScorer scorer() {
            Function<BitSet, double[]> f = s -> {
                double[] p = new double[targets];
                for (int t = 0; t < targets; t++) {
                    double v = base[t];
                    for (int r = s.nextSetBit(0); r >= 0; r = s.nextSetBit(r + 1)) {
                        v += weights[t][r];
                        for (int q = s.nextSetBit(r + 1); q >= 0; q = s.nextSetBit(q + 1)) {
                            v += pairs[r][q];
                        }
                    }
                    p[t] = saturate ? 1 / (1 + Math.exp(-4 * (v - 0.5))) : Math.min(1, Math.max(0, v));
                }
                return p;
            };
            return new FunctionScorer(n, targets, f);
        }

        Objective objective() {
            return new Objective(lambda1, lambda2);
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> n = Arbitraries.integers().between(2, 9);
        Arbitrary<Integer> targets = Arbitraries.integers().between(1, 3);
        Arbitrary<Long> seeds = Arbitraries.longs();
        Arbitrary<Boolean> saturate = Arbitraries.of(true, false);
        Arbitrary<Double> lambda1 = Arbitraries.of(0.5, 1.0, 2.0);
        Arbitrary<Double> lambda2 = Arbitraries.of(0.0, 0.5, 1.0, 2.0);
        return Combinators.combine(n, targets, seeds, saturate, lambda1, lambda2)
                .as((nn, tt, seed, sat, l1, l2) -> {
                    java.util.Random r = new java.util.Random(seed);
                    double[] base = new double[tt];
                    double[][] w = new double[tt][nn];
                    for (int t = 0; t < tt; t++) {
                        base[t] = r.nextDouble() * 0.2;
                        for (int i = 0; i < nn; i++) {
                            // ties are likely: weights on a coarse grid
                            w[t][i] = r.nextInt(5) / 10.0 - 0.1;
                        }
                    }
                    double[][] pairs = new double[nn][nn];
                    for (int i = 0; i < nn; i++) {
                        for (int j = i + 1; j < nn; j++) {
                            pairs[i][j] = r.nextInt(3) == 0 ? (r.nextInt(5) - 2) / 20.0 : 0;
                        }
                    }
                    double[] areas = new double[nn];
                    for (int i = 0; i < nn; i++) {
                        areas[i] = 1 + r.nextInt(10);
                    }
                    double total = Arrays.stream(areas).sum();
                    for (int i = 0; i < nn; i++) {
                        areas[i] /= total;
                    }
                    return new Case(nn, tt, base, w, pairs, sat, areas, l1, l2);
                });
    }

    private static final InRange NONE = new InRange();

    /** A listener that checks every progress report is within 0..N. */
    static final class InRange implements io.github.eagle4j.ProgressListener {
        @Override
        public void onProgress(int regionsPlaced, int regionCount, long imagesScored) {
            assertThat(regionsPlaced).isBetween(0, regionCount);
        }
    }

    private static void assertInvariants(RegionSearch search, Case c, long maxImages) {
        FunctionScorer scorer = c.scorer();
        SearchTrace trace = search.search(scorer, c.areas(), NONE);
        int[] order = trace.order();
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        int[] identity = new int[c.n()];
        Arrays.setAll(identity, i -> i);
        assertThat(sorted).as("%s order %s", search.name(), Arrays.toString(order)).containsExactly(identity);
        assertThat(trace.imagesScored()).as("images the trace reports").isEqualTo(scorer.images());
        assertThat(trace.scorerCalls()).as("calls the trace reports").isEqualTo(scorer.calls());
        assertThat(trace.imagesScored()).isLessThanOrEqualTo(maxImages);
        assertThat(trace.steps()).hasSize(c.n());

        SearchTrace again = search.search(c.scorer(), c.areas(), NONE);
        assertThat(again.order()).as("same inputs, same order").containsExactly(order);
        assertThat(again.imagesScored()).isEqualTo(trace.imagesScored());
    }

    @Property
    void fullGreedyIsAPermutationScoringExactlyNTimesNPlusOneImages(@ForAll("cases") Case c) {
        long n = c.n();
        assertInvariants(new FullGreedySearch(c.objective()), c, n * (n + 1));
        FunctionScorer scorer = c.scorer();
        assertThat(new FullGreedySearch(c.objective()).search(scorer, c.areas(), NONE).imagesScored()).isEqualTo(n * (n + 1));
    }

    @Property
    void lazyGreedyIsAPermutationWithinTheFullGreedyBound(@ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 6) int batch) {
        long n = c.n();
        assertInvariants(new LazyGreedySearch(c.objective(), batch), c, n * (n + 1) + 2);
    }

    @Property
    void efficientIsAPermutation(@ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 6) int scope,
                                 @ForAll @IntRange(min = 1, max = 4) int pending, @ForAll @IntRange(min = 1, max = 4) int update) {
        long n = c.n();
        assertInvariants(new EfficientSearch(c.objective(), scope, pending, update), c, n * (n + 1) + 2);
    }

    @Property
    void earlyStopKeepsThePermutationAndTheCount(@ForAll("cases") Case c) {
        long n = c.n();
        assertInvariants(new FullGreedySearch(c.objective(), new EarlyStop(0.05)), c, n * (n + 1) + 2);
        assertInvariants(new LazyGreedySearch(c.objective(), 2, new EarlyStop(0.05)), c, n * (n + 1) + 2);
    }

    @Property
    void fastIsAPermutationAndTheSameSeedGivesTheSameOrder(@ForAll("cases") Case c, @ForAll long seed) {
        long n = c.n();
        assertInvariants(new FastSearch(c.objective(), FastSearch.DEFAULT_WINDOW, FastSearch.DEFAULT_EXPLORE,
                FastSearch.DEFAULT_SATURATION, SearchBudget.UNLIMITED, seed), c, n * (n + 1) * 4);
    }

    @Property
    void aBudgetIsNeverExceeded(@ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 120) int budget, @ForAll long seed) {
        long n = c.n();
        for (RegionSearch search : java.util.List.<java.util.function.Supplier<RegionSearch>>of(
                () -> new FastSearch(c.objective(), FastSearch.DEFAULT_WINDOW, FastSearch.DEFAULT_EXPLORE,
                        FastSearch.DEFAULT_SATURATION, budget, seed),
                () -> new LazyGreedySearch(c.objective(), 2, null, budget),
                () -> new FullGreedySearch(c.objective(), null, budget)).stream().map(s -> s.get()).toList()) {
            FunctionScorer scorer = c.scorer();
            SearchTrace trace;
            try {
                trace = search.search(scorer, c.areas(), NONE);
            } catch (BudgetTooSmallException e) {
                continue; // refused before scoring anything, naming the smallest budget it can keep
            }
            assertThat(scorer.images()).as("%s, budget %d, N %d", search.name(), budget, n).isLessThanOrEqualTo(budget);
            assertThat(trace.imagesScored()).isEqualTo(scorer.images());
            int[] sorted = trace.order().clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                assertThat(sorted[i]).isEqualTo(i);
            }
        }
    }
}
