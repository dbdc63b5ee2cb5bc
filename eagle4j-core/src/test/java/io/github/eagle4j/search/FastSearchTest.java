package io.github.eagle4j.search;

import io.github.eagle4j.Exactness;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.eagle4j.ProgressListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class FastSearchTest {

    /**
     * Modular objective: gains never change, so the best latest gain is full greedy's choice at every step; with
     * saturation 0 the windowed steps run to the end (F(V) is reached only with every region).
     */
    @Test
    void modularObjectiveGivesFullGreedysOrderAndCurves() {
        SearchTrace full = new FullGreedySearch(Objective.DEFAULT)
                .search(Examples.modular(64), Examples.equalAreas(64), ProgressListener.NONE);
        FunctionScorer scorer = Examples.modular(64);
        SearchTrace fast = new FastSearch(Objective.DEFAULT, 1, 4, 0.0, SearchBudget.UNLIMITED, 0)
                .search(scorer, Examples.equalAreas(64), ProgressListener.NONE);

        assertThat(fast.order()).containsExactly(full.order());
        for (int k = 0; k < 64; k++) {
            assertThat(fast.steps().get(k).insertionProbs()).containsExactly(full.steps().get(k).insertionProbs());
            assertThat(fast.steps().get(k).deletionProbs()).containsExactly(full.steps().get(k).deletionProbs());
        }
        assertThat(fast.imagesScored()).isEqualTo(scorer.images()).isLessThan(full.imagesScored() / 4);
        assertThat(fast.approximate()).isFalse();
        assertThat(fast.exactness()).isEqualTo(Exactness.HEURISTIC);
        // full scorings: step 1, and the last five steps, where 1 + 4 candidates per step cover all that are left
        assertThat(fast.certificate()).isEqualTo(new SearchCertificate(6, 64, SearchCertificate.TAIL_NONE, -1, null));
    }

    /**
     * With the default saturation the front stops early and the rest is ordered by the surrogate, its points scored.
     * Lazy greedy's test runs on gains moved by the surrogate, not on stale gains, so a modular objective is no longer
     * bound to full greedy's order; its curves stay within a fraction of a percent of full greedy's.
     */
    @Test
    void saturationOrdersTheRestByTheSurrogate() {
        SearchTrace full = new FullGreedySearch(Objective.DEFAULT)
                .search(Examples.modular(64), Examples.equalAreas(64), ProgressListener.NONE);
        SearchTrace fast = new FastSearch(Objective.DEFAULT).search(Examples.modular(64), Examples.equalAreas(64),
                ProgressListener.NONE);
        SearchCertificate c = fast.certificate();
        assertThat(c.stepsSearched()).isBetween(2, 63);
        assertThat(c.tailOrder()).isEqualTo(SearchCertificate.TAIL_SURROGATE);
        assertThat(fast.order()[0]).isEqualTo(full.order()[0]);
        assertThat(auc(fast, true)).isGreaterThan(0.995 * auc(full, true));
        assertThat(auc(fast, false)).isLessThan(auc(full, false) + 0.005);
        assertThat(fast.approximate()).isFalse(); // the rest's points were scored
    }

    private static double auc(SearchTrace t, boolean insertion) {
        double sum = 0;
        for (SearchStep s : t.steps()) {
            sum += SearchStep.mean(insertion ? s.insertionProbs() : s.deletionProbs());
        }
        return sum / t.steps().size();
    }

    /** Step 1 is full greedy's step 1: the first call scores the original, the blank image, all singletons, masks. */
    @Test
    void firstCallIsAFullScoringOfTheSingletons() {
        FunctionScorer scorer = Examples.exampleB();
        SearchTrace trace = new FastSearch(Objective.DEFAULT).search(scorer, Examples.areasAB(), ProgressListener.NONE);

        // original, blank, 6 singletons' two images, 6 random masks and their complements: on 6 regions some masks
        // repeat another image of the call, and each kept set is scored once
        List<BitSet> first = scorer.batches().get(0);
        assertThat(new java.util.HashSet<>(first)).hasSize(first.size());
        assertThat(first.size()).isBetween(2 + 2 * 6, 2 + 2 * 6 + 2 * 6);
        assertThat(first).contains(set(0, 1, 2, 3, 4, 5), set());
        for (int c = 0; c < 6; c++) {
            assertThat(first).contains(set(c), KeptSets.complement(set(c), 6));
        }
        assertThat(trace.order()[0]).isEqualTo(4); // example B's full greedy starts with region 4
        assertThat(trace.certificate().stepsVerified()).isGreaterThanOrEqualTo(1);
        TraceAssert.assertVector("org", trace.fullImageProbs(), 0.80, 0.88);
        TraceAssert.assertVector("baseline", trace.blankImageProbs(), 0.05, 0.10);
    }

    @Test
    void sameInputSameOutput() {
        SearchTrace a = new FastSearch(Objective.DEFAULT).search(threeWay(30, 5), Examples.equalAreas(30),
                ProgressListener.NONE);
        SearchTrace b = new FastSearch(Objective.DEFAULT).search(threeWay(30, 5), Examples.equalAreas(30),
                ProgressListener.NONE);
        assertThat(a.order()).containsExactly(b.order());
        assertThat(a.imagesScored()).isEqualTo(b.imagesScored());
    }

    /**
     * The budget is a hard limit for the fast and the lazy search: over many scorers, sizes and budgets, the
     * images the scorer saw never exceed it, and the result is still a full order with N curve points.
     */
    @Test
    void budgetIsNeverExceeded() {
        for (int n : new int[] {3, 6, 11, 24}) {
            long smallest = 2L * n + 2;
            for (long budget = smallest; budget <= (long) n * (n + 1) + 4; budget += Math.max(1, n / 3)) {
                for (int seed = 0; seed < 3; seed++) {
                    for (String kind : List.of("fast", "lazy")) {
                        FunctionScorer scorer = threeWay(n, seed);
                        RegionSearch search = kind.equals("fast")
                                ? new FastSearch(Objective.DEFAULT, 1 + seed, seed * 2, 0.0, budget, seed)
                                : new LazyGreedySearch(Objective.DEFAULT, 1 + seed, null, budget);
                        SearchTrace t = search.search(scorer, Examples.equalAreas(n), ProgressListener.NONE);
                        String what = kind + " n=" + n + " budget=" + budget + " seed=" + seed;
                        assertThat(scorer.images()).as(what).isLessThanOrEqualTo(budget).isEqualTo(t.imagesScored());
                        assertThat(t.steps()).as(what).hasSize(n);
                        assertThat(sorted(t.order())).as(what).containsExactly(range(n));
                        assertThat(t.certificate().budget()).as(what).isEqualTo(budget);
                        // with room for every point the curves are measured, never interpolated
                        if (budget >= smallest + 2L * (n - 1)) {
                            assertThat(t.approximate()).as(what).isFalse();
                        }
                    }
                }
            }
        }
    }

    @Test
    void budgetBelowTheFirstCallIsRefusedNamingTheSmallest() {
        assertThatThrownBy(() -> new FastSearch(Objective.DEFAULT, 1, 4, 0.01, 25, 0)
                .search(threeWay(12, 0), Examples.equalAreas(12), ProgressListener.NONE))
                .isInstanceOf(BudgetTooSmallException.class)
                .hasMessageContaining("budget 25").hasMessageContaining("at least 26 images");
        assertThatThrownBy(() -> new FastSearch(Objective.DEFAULT, 1, 4, 0.01, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A generous budget changes nothing: the search never needed it. */
    @Test
    void budgetAboveNeedChangesNothing() {
        // without masks the first call does not depend on the budget
        SearchTrace free = new FastSearch(Objective.DEFAULT, FastSearch.DEFAULT_WINDOW, 0,
                FastSearch.DEFAULT_SATURATION, SearchBudget.UNLIMITED, 0).search(threeWay(20, 2),
                Examples.equalAreas(20), ProgressListener.NONE);
        SearchTrace budgeted = new FastSearch(Objective.DEFAULT, FastSearch.DEFAULT_WINDOW, 0,
                FastSearch.DEFAULT_SATURATION, 420, 0).search(threeWay(20, 2), Examples.equalAreas(20),
                ProgressListener.NONE);
        assertThat(budgeted.order()).containsExactly(free.order());
        assertThat(budgeted.imagesScored()).isEqualTo(free.imagesScored());
    }

    /**
     * The tail check. Region 0 is the object; region P alone looks like it (0.9) but spoils it (0.5) unless region
     * Q is there too. Insertion saturates at step 1, and P, predicted best by the surrogate, heads the rest: the
     * check scores that point ({0, P}), sees insertion leave the level, searches the position again and moves P
     * behind the others. Full greedy never lets the curve drop (P comes after Q), and neither does the fast search.
     */
    @Test
    void tailCheckSearchesAgainWhereTheRestLeavesTheLevels() {
        int n = 12;
        int p = 1;
        int q = n - 1;
        Objective insertionOnly = new Objective(1, 0);
        java.util.function.Supplier<FunctionScorer> spoiler = () -> new FunctionScorer(n, 1, s -> new double[] {
                s.get(0) ? (s.get(p) && !s.get(q) ? 0.5 : 0.95) : s.get(p) ? 0.9 : 0.05});
        SearchTrace full = new FullGreedySearch(insertionOnly).search(spoiler.get(), Examples.equalAreas(n),
                ProgressListener.NONE);
        FunctionScorer scorer = spoiler.get();
        SearchTrace fast = new FastSearch(insertionOnly).search(scorer, Examples.equalAreas(n), ProgressListener.NONE);

        BitSet brokenPoint = set(0, p);
        assertThat(scorer.batches().stream().flatMap(List::stream)).contains(brokenPoint);
        assertThat(fast.order()[0]).isEqualTo(0);
        assertThat(indexOf(fast.order(), p)).isGreaterThan(indexOf(fast.order(), q));
        for (int k = 0; k < n; k++) {
            assertThat(fast.steps().get(k).insertionProbs()[0]).as("rank " + k).isEqualTo(0.95)
                    .isEqualTo(full.steps().get(k).insertionProbs()[0]);
        }
        SearchCertificate c = fast.certificate();
        assertThat(c.stepsSearched()).isBetween(2, n - 2); // step 1 and the position searched again
        assertThat(c.tailOrder()).isEqualTo(SearchCertificate.TAIL_SURROGATE);
        assertThat(fast.approximate()).isFalse();
    }

    /**
     * The back end. Region 0 is the object; region 9 is a distractor that lowers the probability wherever it is
     * kept (its presence alone gives less than the blank image). Step 1 places the object and both curves are at
     * their levels, but the original image (the last point) is below the insertion level: the back's first step,
     * a full scoring from the first call's singletons, puts the distractor last, where full greedy puts it too.
     */
    @Test
    void backEndPlacesTheRegionWhoseRemovalHelpsLast() {
        int n = 10;
        FunctionScorer scorer = new FunctionScorer(n, 1, s -> new double[] {
                (s.get(0) ? 0.9 : 0.1) - (s.get(9) ? 0.08 : 0.0)});
        SearchTrace full = new FullGreedySearch(Objective.DEFAULT).search(new FunctionScorer(n, 1,
                s -> new double[] {(s.get(0) ? 0.9 : 0.1) - (s.get(9) ? 0.08 : 0.0)}), Examples.equalAreas(n),
                ProgressListener.NONE);
        SearchTrace fast = new FastSearch(Objective.DEFAULT).search(scorer, Examples.equalAreas(n),
                ProgressListener.NONE);

        assertThat(full.order()[n - 1]).isEqualTo(9);
        assertThat(fast.order()[0]).isEqualTo(0);
        assertThat(fast.order()[n - 1]).isEqualTo(9);
        // the last region's point is the original/blank pair, the one before it the point the back scored
        assertThat(fast.steps().get(n - 1).insertionProbs()[0]).isCloseTo(0.82, within(1e-12));
        assertThat(fast.steps().get(n - 2).insertionProbs()[0]).isCloseTo(0.9, within(1e-12));
        assertThat(fast.steps().get(n - 2).deletionProbs()[0]).isCloseTo(0.02, within(1e-12));
        for (int k = 0; k < n; k++) { // the middle's ties may differ in order, not in the curves
            assertThat(fast.steps().get(k).insertionProbs()[0]).as("rank " + k)
                    .isCloseTo(full.steps().get(k).insertionProbs()[0], within(1e-12));
            assertThat(fast.steps().get(k).deletionProbs()[0]).as("rank " + k)
                    .isCloseTo(full.steps().get(k).deletionProbs()[0], within(1e-12));
        }
        // front steps 1 and 2 (step 1 gained, so the front goes on past the levels once more), back step 1
        assertThat(fast.certificate().stepsSearched()).isEqualTo(3);
    }

    /**
     * The front hands over to the back end once a quarter of the regions is left, even when its curves never reach
     * their levels: here only the blank image goes below 0.5 (deletion-only objective), so without the handover the
     * front would search every step. The back's point (the blank image) is already as good as the front's, so the
     * last quarter is placed by the surrogate with its points scored, and the curve is full greedy's.
     */
    @Test
    void frontHandsOverToTheBackWhenAQuarterIsLeft() {
        int n = 16;
        Objective deletionOnly = new Objective(0, 1);
        java.util.function.Supplier<FunctionScorer> scorer = () -> new FunctionScorer(n, 1,
                s -> new double[] {s.isEmpty() ? 0.0 : s.get(0) ? 0.9 : 0.5});
        SearchTrace full = new FullGreedySearch(deletionOnly).search(scorer.get(), Examples.equalAreas(n),
                ProgressListener.NONE);
        SearchTrace fast = new FastSearch(deletionOnly).search(scorer.get(), Examples.equalAreas(n),
                ProgressListener.NONE);

        assertThat(FastSearch.meetAt(n)).isEqualTo(4);
        assertThat(fast.certificate().stepsSearched()).isEqualTo(n - FastSearch.meetAt(n)); // 12 front steps
        assertThat(fast.certificate().tailOrder()).isEqualTo(SearchCertificate.TAIL_SURROGATE);
        for (int k = 0; k < n; k++) {
            assertThat(fast.steps().get(k).deletionProbs()[0]).as("rank " + k)
                    .isEqualTo(full.steps().get(k).deletionProbs()[0]);
        }
        assertThat(fast.approximate()).isFalse();
    }

    /**
     * A colour word: the model names the colour from any piece of its object (regions 3, 8, 14, 21, 29), a little
     * surer with each piece, so the deletion image stays near 1 until every piece is gone. The surrogate's logistic
     * link holds that redundancy (each piece a large weight), so its predictions put the pieces first and the fast
     * search removes them first, as full greedy does: its deletion curve drops at the same step.
     */
    @Test
    void piecesOfAnObjectAreRemovedFirstOnTheDeletionPlateau() {
        int n = 32;
        List<Integer> pieces = List.of(3, 8, 14, 21, 29);
        java.util.function.Supplier<FunctionScorer> scorer = () -> new FunctionScorer(n, 1,
                colourWord(pieces, 0.9, 0.015, 0.0001));
        SearchTrace full = new FullGreedySearch(Objective.DEFAULT).search(scorer.get(), Examples.equalAreas(n),
                ProgressListener.NONE);
        SearchTrace fast = new FastSearch(Objective.DEFAULT).search(scorer.get(), Examples.equalAreas(n),
                ProgressListener.NONE);
        int[] fastFirst = Arrays.copyOf(fast.order(), pieces.size());
        assertThat(Arrays.stream(fastFirst).boxed().sorted().toList()).isEqualTo(pieces);
        assertThat(Arrays.stream(Arrays.copyOf(full.order(), pieces.size())).boxed().sorted().toList())
                .isEqualTo(pieces);
        for (int k = 0; k < pieces.size(); k++) {
            assertThat(fast.steps().get(k).deletionProbs()[0]).as("rank " + k)
                    .isCloseTo(full.steps().get(k).deletionProbs()[0], within(1e-3));
        }
        assertThat(fast.steps().get(pieces.size() - 2).deletionProbs()[0]).isGreaterThan(0.9);
        assertThat(fast.steps().get(pieces.size() - 1).deletionProbs()[0]).isLessThan(0.1);
    }

    /**
     * A colour word whose object has a main piece (region 5) and four small ones, in a scene whose region 2 alone
     * makes the model surest: full greedy places region 2, then the main piece, whose removal drops the deletion
     * image from 0.99 to {@code rest} while the small pieces hold it there. While that level is above the sweep's
     * floor the front scores the deletion image of every region left once, right after the collapse, and removes the
     * small pieces next as full greedy does; with the level already below the floor there is little deletion area
     * left to win and the sweep is not paid for.
     */
    @Test
    void deletionCollapseSweepsTheRegionsLeftOnlyAboveTheFloor() {
        int n = 32;
        int scene = 2;
        int main = 5;
        List<Integer> small = List.of(11, 17, 23, 29);
        for (double rest : new double[] {0.5, 0.05}) {
            java.util.function.Function<BitSet, double[]> object = mainAndSmallPieces(main, small, rest);
            FunctionScorer scorer = new FunctionScorer(n, 1,
                    s -> new double[] {s.get(scene) ? Math.max(object.apply(s)[0], 0.99) : object.apply(s)[0]});
            SearchTrace fast = new FastSearch(Objective.DEFAULT).search(scorer, Examples.equalAreas(n),
                    ProgressListener.NONE);
            assertThat(Arrays.copyOf(fast.order(), 2)).containsExactly(scene, main);
            // deletion images scored in the context of both placed: every region left, or a few per step
            long afterMain = scorer.batches().stream().flatMap(List::stream)
                    .filter(kept -> kept.cardinality() == n - 3 && !kept.get(main) && !kept.get(scene))
                    .distinct().count();
            if (rest > 0.1) {
                assertThat(afterMain).as("level " + rest).isEqualTo(n - 2);
                assertThat(Arrays.stream(Arrays.copyOfRange(fast.order(), 2, 2 + small.size())).boxed().sorted()
                        .toList()).isEqualTo(small);
                assertThat(fast.steps().get(1 + small.size()).deletionProbs()[0]).isCloseTo(0.02, within(1e-9));
            } else {
                assertThat(afterMain).as("level " + rest).isLessThan(n / 2);
            }
        }
    }

    /**
     * The same object without the scene region: the main piece is placed first and collapses the deletion image at
     * once. A region that holds the answer alone (a yes/no question's) looks the same, and there the sweep bought
     * little, so none follows the first placement.
     */
    @Test
    void noSweepFollowsTheFirstPlacement() {
        int n = 32;
        int main = 5;
        List<Integer> small = List.of(11, 17, 23, 29);
        FunctionScorer scorer = new FunctionScorer(n, 1, mainAndSmallPieces(main, small, 0.5));
        SearchTrace fast = new FastSearch(Objective.DEFAULT).search(scorer, Examples.equalAreas(n),
                ProgressListener.NONE);
        assertThat(fast.order()[0]).isEqualTo(main);
        long afterMain = scorer.batches().stream().flatMap(List::stream)
                .filter(kept -> kept.cardinality() == n - 2 && !kept.get(main)).distinct().count();
        assertThat(afterMain).isLessThan(n / 2);
    }

    /**
     * After the object (region 0) is removed, every further removal raises the deletion image's probability towards
     * the blank image's prior, each region by its own amount (all above {@link FastSearch#RISE}). Such a step scores
     * the deletion image of every region left, so it places the region full greedy places; after
     * {@link FastSearch#MAX_RISE_SCORINGS} such steps the search goes on with windowed steps only.
     */
    @Test
    void risingDeletionStepsScoreEveryRegionLeftAFewTimes() {
        int n = 16;
        double[] rise = new double[n];
        for (int c = 1; c < n; c++) {
            rise[c] = 0.025 + 0.004 * ((c * 7) % 11);
        }
        java.util.function.Supplier<FunctionScorer> scorer = () -> new FunctionScorer(n, 1, s -> {
            double p = 0.05;
            for (int c = 1; c < n; c++) {
                p += s.get(c) ? 0 : rise[c];
            }
            return new double[] {s.get(0) ? 0.99 : Math.min(0.95, p)};
        });
        SearchTrace full = new FullGreedySearch(Objective.DEFAULT).search(scorer.get(), Examples.equalAreas(n),
                ProgressListener.NONE);
        FunctionScorer counted = scorer.get();
        SearchTrace fast = new FastSearch(Objective.DEFAULT).search(counted, Examples.equalAreas(n),
                ProgressListener.NONE);

        int steps = FastSearch.MAX_RISE_SCORINGS + 1;
        assertThat(Arrays.copyOf(fast.order(), steps)).containsExactly(Arrays.copyOf(full.order(), steps));
        // each of those steps scored the deletion image of every region left in its context
        BitSet placed = new BitSet(n);
        for (int k = 0; k < steps; k++) {
            BitSet context = (BitSet) placed.clone();
            long deletionImages = counted.batches().stream().flatMap(List::stream).filter(kept -> {
                BitSet removed = KeptSets.complement(kept, n);
                return removed.cardinality() == context.cardinality() + 1 && contains(removed, context);
            }).distinct().count();
            if (k >= 1) {
                assertThat(deletionImages).as("step " + (k + 1)).isEqualTo(n - k);
            }
            placed.set(fast.order()[k]);
        }
        // the next one is a windowed step again: a few candidates, not every region left
        BitSet context = placed;
        long after = counted.batches().stream().flatMap(List::stream).filter(kept -> {
            BitSet removed = KeptSets.complement(kept, n);
            return removed.cardinality() == context.cardinality() + 1 && contains(removed, context);
        }).distinct().count();
        assertThat(after).isLessThan(n - steps);
    }

    private static boolean contains(BitSet outer, BitSet inner) {
        BitSet missing = (BitSet) inner.clone();
        missing.andNot(outer);
        return missing.isEmpty();
    }

    /** On a plateau near p = 1 a move the probability barely shows ranks far apart on the logit scale. */
    @Test
    void logitValueSeparatesMovesOnAPlateau() {
        Objective deletionOnly = new Objective(0, 1);
        double[] none = {0.5};
        double small = FastSearch.logitValue(deletionOnly, none, new double[] {0.9990})
                - FastSearch.logitValue(deletionOnly, none, new double[] {0.9999});
        double fair = FastSearch.logitValue(deletionOnly, none, new double[] {0.40})
                - FastSearch.logitValue(deletionOnly, none, new double[] {0.50});
        // 0.0009 of probability is worth about 2.3 on the logit scale, more than a 0.1 drop at p = 0.5 (about 0.41)
        assertThat(small).isCloseTo(Math.log(9999) - Math.log(999), within(1e-9)).isGreaterThan(fair);
        // probabilities of exactly 1 or 0 stay finite
        assertThat(FastSearch.logitValue(deletionOnly, none, new double[] {1.0})).isFinite();
        assertThat(FastSearch.logitValue(Objective.DEFAULT, new double[] {0.0}, new double[] {1.0})).isFinite();
    }

    /**
     * A word any piece of its object restores almost fully (regions 3, 8, 14, 21, 29): after the first piece the
     * insertion curve sits at its level, so the next front steps score only their candidates' deletion images (where
     * the pieces still differ from the rest) and then the chosen one's insertion image. The pieces still go first, as
     * in full greedy, and every point of the curves is the scorer's value of its own images, none an estimate.
     */
    @Test
    void stepsOnALevelScoreOnlyTheOtherCurvesImages() {
        int n = 32;
        List<Integer> pieces = List.of(3, 8, 14, 21, 29);
        java.util.function.Function<BitSet, double[]> word = colourWord(pieces, 0.98, 0.003, 0.00002);
        SearchTrace full = new FullGreedySearch(Objective.DEFAULT).search(new FunctionScorer(n, 1, word),
                Examples.equalAreas(n), ProgressListener.NONE);
        FunctionScorer scorer = new FunctionScorer(n, 1, word);
        SearchTrace fast = new FastSearch(Objective.DEFAULT).search(scorer, Examples.equalAreas(n),
                ProgressListener.NONE);

        assertThat(Arrays.stream(Arrays.copyOf(full.order(), pieces.size())).boxed().sorted().toList())
                .isEqualTo(pieces);
        assertThat(Arrays.stream(Arrays.copyOf(fast.order(), pieces.size())).boxed().sorted().toList())
                .isEqualTo(pieces);
        BitSet prefix = new BitSet(n);
        for (int k = 0; k < n; k++) {
            prefix.set(fast.order()[k]);
            assertThat(fast.steps().get(k).insertionProbs()[0]).as("rank " + k).isEqualTo(word.apply(prefix)[0]);
            assertThat(fast.steps().get(k).deletionProbs()[0]).as("rank " + k)
                    .isEqualTo(word.apply(KeptSets.complement(prefix, n))[0]);
        }
        // a one-sided step: a call of deletion images only (each keeps most regions), then the chosen one's insertion
        List<List<BitSet>> calls = scorer.batches();
        boolean oneSided = false;
        for (int i = 1; i + 1 < calls.size(); i++) {
            boolean deletionImages = calls.get(i).stream().allMatch(b -> b.cardinality() > n / 2);
            List<BitSet> next = calls.get(i + 1);
            oneSided |= deletionImages && next.size() == 1 && next.get(0).cardinality() < n / 2;
        }
        assertThat(oneSided).isTrue();
    }

    /**
     * An image is one model evaluation: the search never asks for one it has scored before. Its middle's last point
     * but one keeps every region but one (a singleton pair of the first call) and a region searched again after a
     * tail check has its image from the check; such images come from what was scored, so over scorers with a middle,
     * a back end and tail checks every kept set reaches the model once and the count is what the model saw.
     */
    @Test
    void noImageIsScoredTwice() {
        int n = 12;
        List<FunctionScorer> scorers = List.of(Examples.modular(64), threeWay(30, 5), Examples.exampleB(),
                new FunctionScorer(n, 1, s -> new double[] {
                        s.get(0) ? (s.get(1) && !s.get(n - 1) ? 0.5 : 0.95) : s.get(1) ? 0.9 : 0.05}),
                new FunctionScorer(10, 1, s -> new double[] {(s.get(0) ? 0.9 : 0.1) - (s.get(9) ? 0.08 : 0.0)}));
        for (FunctionScorer scorer : scorers) {
            int regions = scorer.regionCount();
            SearchTrace trace = new FastSearch(Objective.DEFAULT).search(scorer, Examples.equalAreas(regions),
                    ProgressListener.NONE);
            List<BitSet> all = scorer.batches().stream().flatMap(List::stream).toList();
            assertThat(new java.util.HashSet<>(all)).as(regions + " regions").hasSize(all.size());
            assertThat(trace.imagesScored()).isEqualTo(all.size());
            assertThat(trace.order()).hasSize(regions);
            assertThat(trace.approximate()).isFalse();
        }
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A three-way-interaction scorer: additive weights plus {@code terms} triples that add a bonus only together,
     * so stale gains are not bounds and the fast search can differ from full greedy.
     */
    static FunctionScorer threeWay(int n, int seed) {
        SplittableRandom r = new SplittableRandom(1000 + seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = r.nextDouble() * 0.4 / n;
        }
        List<int[]> triples = new ArrayList<>();
        for (int t = 0; t < Math.max(1, n / 5); t++) {
            triples.add(new int[] {r.nextInt(n), r.nextInt(n), r.nextInt(n)});
        }
        return new FunctionScorer(n, 2, s -> {
            double p = 0.05;
            for (int i = s.nextSetBit(0); i >= 0; i = s.nextSetBit(i + 1)) {
                p += w[i];
            }
            for (int[] t : triples) {
                if (FunctionScorer.has(s, t)) {
                    p += 0.5 / triples.size();
                }
            }
            p = Math.min(1.0, p);
            return new double[] {p, 1.0 - 0.5 * p};
        });
    }

    private static int[] sorted(int[] a) {
        int[] c = a.clone();
        Arrays.sort(c);
        return c;
    }

    private static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static BitSet set(int... ids) {
        BitSet s = new BitSet();
        for (int i : ids) {
            s.set(i);
        }
        return s;
    }

    /**
     * A colour word's probability: 0.05 without any piece of its object, else {@code base + perPiece} per piece kept,
     * plus small gains of the other regions ({@code otherWeight} × a fixed pattern) that do not matter for the word.
     */
    /**
     * An object of one main piece and a few small ones: with the main piece kept the word is near-certain, with only
     * small ones it stays at {@code rest}, with none it falls to 0.02.
     */
    private static java.util.function.Function<BitSet, double[]> mainAndSmallPieces(int main, List<Integer> small,
                                                                                  double rest) {
        return s -> {
            int k = 0;
            for (int piece : small) {
                k += s.get(piece) ? 1 : 0;
            }
            return new double[] {s.get(main) ? 0.98 + 0.002 * k : k > 0 ? rest + 0.002 * k : 0.02};
        };
    }

    private static java.util.function.Function<BitSet, double[]> colourWord(List<Integer> pieces, double base,
                                                                          double perPiece, double otherWeight) {
        return s -> {
            double other = 0;
            int kept = 0;
            for (int r = s.nextSetBit(0); r >= 0; r = s.nextSetBit(r + 1)) {
                if (pieces.contains(r)) {
                    kept++;
                } else {
                    other += otherWeight * ((r * 7) % 11);
                }
            }
            return new double[] {(kept == 0 ? 0.05 : base + perPiece * kept) + other};
        };
    }
}
