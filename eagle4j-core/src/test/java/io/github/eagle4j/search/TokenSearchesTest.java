package io.github.eagle4j.search;

import io.github.eagle4j.ProgressListener;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-token searches of {@code --each-token}: a total that holds, taught searches, the order of the tokens. */
class TokenSearchesTest {
    /**
     * T targets over N regions, each the logistic of an additive logit: target t rests on a few regions of its own
     * (an object word), and every third target barely moves (a function word).
     */
    static FunctionScorer caption(int n, int targets, int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] w = new double[targets][n];
        double[] b = new double[targets];
        for (int t = 0; t < targets; t++) {
            boolean functionWord = t % 3 == 2;
            b[t] = functionWord ? 2.5 : -3;
            for (int c = 0; c < n; c++) {
                w[t][c] = functionWord ? 0.02 * r.nextDouble() : 0.3 * r.nextDouble();
            }
            for (int k = 0; k < 3 && !functionWord; k++) {
                w[t][r.nextInt(n)] += 2.5;
            }
        }
        return new FunctionScorer(n, targets, s -> {
            double[] p = new double[targets];
            for (int t = 0; t < targets; t++) {
                double z = b[t];
                for (int c = s.nextSetBit(0); c >= 0; c = s.nextSetBit(c + 1)) {
                    z += w[t][c];
                }
                p[t] = 1 / (1 + Math.exp(-z));
            }
            return p;
        });
    }

    private static FastSearch fast(long budget) {
        return new FastSearch(Objective.DEFAULT, FastSearch.DEFAULT_WINDOW, FastSearch.DEFAULT_EXPLORE,
                FastSearch.DEFAULT_SATURATION, budget, 0);
    }

    /** The joint search, then every token's, as {@code --each-token --search fast} runs them. */
    private static List<SearchTrace> eachToken(SharedImages shared, long total) {
        int n = shared.regionCount();
        fast(SearchBudget.UNLIMITED).search(shared, Examples.equalAreas(n), ProgressListener.NONE);
        long cap = total == 0 ? TokenSearches.defaultTotal(n, shared.targetCount(), shared.imagesScored()) : total;
        return TokenSearches.run(shared, TokenSearchesTest::fast, cap, SearchBudget.UNLIMITED,
                Examples.equalAreas(n), t -> ProgressListener.NONE);
    }

    @Test
    void theDefaultTotalHoldsWhateverTheTokens() {
        for (int n : new int[] {8, 16, 25}) {
            for (int targets : new int[] {3, 10, 20}) {
                for (int seed = 0; seed < 2; seed++) {
                    FunctionScorer model = caption(n, targets, seed);
                    SharedImages shared = new SharedImages(model);
                    fast(SearchBudget.UNLIMITED).search(shared, Examples.equalAreas(n), ProgressListener.NONE);
                    long joint = shared.imagesScored();
                    long total = TokenSearches.defaultTotal(n, targets, joint);
                    List<SearchTrace> traces = TokenSearches.run(shared, TokenSearchesTest::fast, total,
                            SearchBudget.UNLIMITED, Examples.equalAreas(n), t -> ProgressListener.NONE);
                    String what = "n=" + n + " targets=" + targets + " seed=" + seed;
                    long share = (long) Math.floor(TokenSearches.DEFAULT_SHARE * SearchBudget.fullGreedy(n));
                    long floor = (long) targets * TokenSearches.MIN_SHARE_PER_REGION * n;
                    // 2.5·N(N+1), or the joint search plus 4N per token when that is more
                    assertThat(total).as(what).isEqualTo(Math.max(share, joint + floor));
                    assertThat(model.images()).as(what).isEqualTo(shared.imagesScored()).isLessThanOrEqualTo(total);
                    assertThat(traces).as(what).hasSize(targets);
                    for (SearchTrace t : traces) {
                        assertThat(t.steps()).as(what).hasSize(n);
                        // the floor pays for every point: the curves are measured, not interpolated
                        assertThat(t.approximate()).as(what).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void aTightTotalIsNeverExceeded() {
        int n = 16;
        int targets = 10;
        for (long extra = 0; extra <= 2000; extra += 250) {
            FunctionScorer model = caption(n, targets, 7);
            SharedImages probe = new SharedImages(caption(n, targets, 7));
            fast(SearchBudget.UNLIMITED).search(probe, Examples.equalAreas(n), ProgressListener.NONE);
            long total = probe.imagesScored() + (long) targets * 2 * (n - 1) + extra;
            SharedImages shared = new SharedImages(model);
            eachToken(shared, total);
            assertThat(model.images()).as("total " + total).isLessThanOrEqualTo(total);
        }
    }

    @Test
    void aTaughtSearchScoresNoMasksOfItsOwnAndItsFirstCallIsShared() {
        int n = 12;
        FunctionScorer model = caption(n, 4, 3);
        SharedImages shared = new SharedImages(model);
        fast(SearchBudget.UNLIMITED).search(shared, Examples.equalAreas(n), ProgressListener.NONE);
        int callsBefore = model.calls();

        FunctionScorer column = new FunctionScorer(n, 1, s -> shared.target(0).scoreKept(List.of(s))[0]);
        SearchTrace taught = fast(SearchBudget.UNLIMITED).withPriorImages(shared.keptSets(), shared.column(0))
                .search(column, Examples.equalAreas(n), ProgressListener.NONE);
        // its first call is the original, the blank image and the singletons (no random masks) ...
        assertThat(column.batchSizes().get(0)).isEqualTo(2 * n + 2);
        assertThat(taught.steps()).hasSize(n);
        // ... which the joint search scored: none of them reaches the model again
        for (List<BitSet> batch : model.batches().subList(callsBefore, model.calls())) {
            assertThat(batch).noneMatch(s -> s.cardinality() == 1 || s.cardinality() == n - 1);
        }
        FunctionScorer alone = new FunctionScorer(n, 1, s -> shared.target(0).scoreKept(List.of(s))[0]);
        fast(SearchBudget.UNLIMITED).search(alone, Examples.equalAreas(n), ProgressListener.NONE);
        assertThat(alone.batchSizes().get(0)).isEqualTo(4 * n + 2); // untaught: N random mask pairs too
    }

    @Test
    void tokensTheImageBarelyMovesAreSearchedFirst() {
        int n = 8;
        SharedImages shared = new SharedImages(caption(n, 6, 1));
        int[] order = TokenSearches.order(shared, n);
        // targets 2 and 5 are the function words
        assertThat(order[0]).isIn(2, 5);
        assertThat(order[1]).isIn(2, 5);
        assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void everyTokenKeepsItsColumnWhateverTheOrder() {
        int n = 10;
        FunctionScorer model = caption(n, 5, 2);
        SharedImages shared = new SharedImages(model);
        List<SearchTrace> traces = eachToken(shared, 0);
        for (int t = 0; t < 5; t++) {
            BitSet all = KeptSets.all(n);
            assertThat(traces.get(t).fullImageProbs()[0]).isEqualTo(model.scoreKept(List.of(all))[0][t]);
        }
    }
}
