package io.github.eagle4j.search;

import io.github.eagle4j.Exactness;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.SearchKind;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The authors' efficient bidirectional search (docs/method.md §6), a heuristic: the important end grows from the
 * front by a search scoped to the {@code s} best-ranked candidates of the last full ranking, the unimportant
 * end grows from the back by removing, among the {@code p} worst-ranked candidates, the one whose removal
 * keeps F highest, and every candidate is re-ranked at iteration 0 and every {@code u}-th iteration.
 *
 * <p>Same control flow and image counts as §6. eagle4j decisions: ties go to the larger value, then the lower
 * region id, everywhere (full ranking by a sort on (−F, id), scoped winner, back-end choice); the region the
 * back end removes and the point recorded for it come from the same images (§15.5); the stored F of every
 * point is the λ-weighted objective of its probabilities, not the authors' λ-ignoring {@code ins + 1 − del}
 * (§15.4). With N = 2 the back end takes no step at iteration 0 (it would leave nothing to place and one curve
 * point too many).
 *
 * <p>Batching: the original and blank images are scored in iteration 0's call. A back step needs only the back
 * end and the pending candidates, so on a scoped iteration where the scoped candidates (the first s of the
 * ranking) and the pending ones (the last p) cannot overlap — at least s + p regions unplaced — it shares the
 * front step's call: the front winner cannot be pending, so the pending set is known before scoring. A back
 * step after a full re-ranking, or when the two could overlap, is its own call. Image counts are unchanged.
 *
 * <p>{@link EarlyStop} is not offered here: the back end already places the unimportant regions with measured
 * points, so §7's interpolation towards the original image would not apply as specified.
 */
public final class EfficientSearch implements RegionSearch {
    /** The authors' class default s. */
    public static final int DEFAULT_SEARCH_SCOPE = 10;
    /** The authors' class default p. */
    public static final int DEFAULT_PENDING_SAMPLES = 8;
    /** The authors' class default u. */
    public static final int DEFAULT_UPDATE_STEP = 5;

    private final Objective objective;
    private final int searchScope;
    private final int pendingSamples;
    private final int updateStep;
    private final long budget;

    /** Efficient search with the authors' defaults (10, 8, 5). */
    public EfficientSearch(Objective objective) {
        this(objective, DEFAULT_SEARCH_SCOPE, DEFAULT_PENDING_SAMPLES, DEFAULT_UPDATE_STEP);
    }

    /**
     * @param searchScope    s ≥ 1, candidates of a scoped front step
     * @param pendingSamples p ≥ 1, candidates of a back step
     * @param updateStep     u ≥ 1, a full re-ranking every u iterations
     * @throws IllegalArgumentException when a knob is below 1
     */
    public EfficientSearch(Objective objective, int searchScope, int pendingSamples, int updateStep) {
        this(objective, searchScope, pendingSamples, updateStep, SearchBudget.UNLIMITED);
    }

    /**
     * Efficient search with an image budget, which must cover its whole image count
     * ({@link #imageCount(int, int, int, int)}), fixed by N, s, p and u.
     *
     * @param budget images allowed, or {@link SearchBudget#UNLIMITED}
     */
    public EfficientSearch(Objective objective, int searchScope, int pendingSamples, int updateStep, long budget) {
        this.budget = SearchBudget.check(budget);
        this.objective = Objects.requireNonNull(objective, "objective");
        requireAtLeastOne("searchScope", searchScope);
        requireAtLeastOne("pendingSamples", pendingSamples);
        requireAtLeastOne("updateStep", updateStep);
        this.searchScope = searchScope;
        this.pendingSamples = pendingSamples;
        this.updateStep = updateStep;
    }

    /** The objective searched with. */
    public Objective objective() {
        return objective;
    }

    /** s. */
    public int searchScope() {
        return searchScope;
    }

    /** p. */
    public int pendingSamples() {
        return pendingSamples;
    }

    /** u. */
    public int updateStep() {
        return updateStep;
    }

    @Override
    public SearchTrace search(KeptRegionsScorer scorer, double[] regionAreas, ProgressListener listener) {
        return run(scorer, regionAreas, listener).trace();
    }

    /** The search's exact image count (§6): its control flow depends only on N, s, p and u. */
    public static long imageCount(int n, int s, int p, int u) {
        long images = 2; // original and baseline
        int ranked = n;
        for (int i = 0; ranked > 1; i++) {
            boolean fullStep = i == 0 || i % u == 0;
            images += 2L * (fullStep ? ranked : Math.min(s, ranked));
            ranked--;
            if (i == 0) {
                if (ranked > 1) {
                    ranked--; // the back end comes free from the first full ranking
                }
            } else if (ranked > p) {
                images += 2L * p;
                ranked--;
            }
        }
        return images;
    }

    /** A trace plus the number of loop iterations that scored images (the §6 table's column). */
    record Result(SearchTrace trace, int iterations) {
    }

    Result run(KeptRegionsScorer scorer, double[] regionAreas, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        CheckedScorer checked = new CheckedScorer(scorer, regionAreas, budget);
        int n = checked.regionCount();
        SearchBudget.require(budget, imageCount(n, searchScope, pendingSamples, updateStep), name(), n,
                " with s, p, u = " + searchScope + ", " + pendingSamples + ", " + updateStep
                        + "; search 'fast' orders regions within a smaller budget");
        int fullSteps = 0;
        List<Integer> ranked = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            ranked.add(r);
        }
        List<Integer> front = new ArrayList<>();
        List<Integer> back = new ArrayList<>();
        List<double[][]> frontPoints = new ArrayList<>();
        List<double[][]> backPoints = new ArrayList<>();
        BitSet frontSet = new BitSet(n);
        BitSet backSet = new BitSet(n);
        double[] fullProbs = null;
        double[] blankProbs = null;
        int i = 0;
        while (true) {
            if (ranked.size() == 1) {
                // the last region needs no image: its point comes from the back end or the original image
                front.add(ranked.remove(0));
                listener.onProgress(front.size() + back.size(), n, checked.imagesScored());
                break;
            }
            boolean full = i == 0 || i % updateStep == 0;
            int unplaced = ranked.size();
            int[] cands = toArray(full ? ranked : ranked.subList(0, Math.min(searchScope, unplaced)));
            boolean backStep = i > 0 && unplaced - 1 > pendingSamples;
            boolean merged = backStep && !full && unplaced >= searchScope + pendingSamples;

            List<BitSet> batch = new ArrayList<>();
            if (i == 0) {
                batch.add(KeptSets.all(n));
                batch.add(new BitSet(n));
            }
            int frontOffset = batch.size();
            for (int c : cands) {
                BitSet kept = KeptSets.plus(frontSet, c);
                batch.add(kept);
                batch.add(KeptSets.complement(kept, n));
            }
            int[] pending = null;
            int backOffset = batch.size();
            if (merged) {
                // disjoint from the scoped candidates, so removing the front winner leaves this tail as it is
                pending = toArray(ranked.subList(unplaced - pendingSamples, unplaced));
                addBackImages(batch, pending, backSet, n);
            }
            double[][] probs = checked.score(batch);
            if (i == 0) {
                fullProbs = probs[0];
                blankProbs = probs[1];
            }

            double[] values = new double[cands.length];
            for (int j = 0; j < cands.length; j++) {
                values[j] = objective.value(probs[frontOffset + 2 * j], probs[frontOffset + 2 * j + 1]);
            }
            int w = Ranking.best(cands, values);
            if (full) {
                fullSteps++;
                ranked = new ArrayList<>();
                for (int r : Ranking.sorted(cands, values)) {
                    ranked.add(r);
                }
            }
            int winner = cands[w];
            ranked.remove(Integer.valueOf(winner));
            front.add(winner);
            frontSet.set(winner);
            frontPoints.add(new double[][] {probs[frontOffset + 2 * w], probs[frontOffset + 2 * w + 1]});
            listener.onProgress(front.size() + back.size(), n, checked.imagesScored());

            if (i == 0 && ranked.size() > 1) {
                // the least important of the same ranking; its two images are already scored
                int loser = ranked.remove(ranked.size() - 1);
                int j = indexOf(cands, loser);
                back.add(loser);
                backSet.set(loser);
                backPoints.add(new double[][] {probs[frontOffset + 2 * j + 1], probs[frontOffset + 2 * j]});
                listener.onProgress(front.size() + back.size(), n, checked.imagesScored());
            } else if (backStep) {
                if (!merged) {
                    pending = toArray(ranked.subList(ranked.size() - pendingSamples, ranked.size()));
                    List<BitSet> backBatch = new ArrayList<>();
                    addBackImages(backBatch, pending, backSet, n);
                    probs = checked.score(backBatch);
                    backOffset = 0;
                }
                double[] g = new double[pending.length];
                for (int j = 0; j < pending.length; j++) {
                    g[j] = objective.value(probs[backOffset + 2 * j], probs[backOffset + 2 * j + 1]);
                }
                int l = Ranking.best(pending, g);
                int loser = pending[l];
                ranked.remove(Integer.valueOf(loser));
                back.add(loser);
                backSet.set(loser);
                backPoints.add(new double[][] {probs[backOffset + 2 * l], probs[backOffset + 2 * l + 1]});
                listener.onProgress(front.size() + back.size(), n, checked.imagesScored());
            }
            i++;
        }

        // order = front + reverse(back); curve = front points + reversed back points + the original/blank pair
        TraceBuilder trace = new TraceBuilder(objective, regionAreas);
        List<double[][]> points = new ArrayList<>(frontPoints);
        for (int j = backPoints.size() - 1; j >= 0; j--) {
            points.add(backPoints.get(j));
        }
        points.add(new double[][] {fullProbs, blankProbs});
        List<Integer> order = new ArrayList<>(front);
        for (int j = back.size() - 1; j >= 0; j--) {
            order.add(back.get(j));
        }
        for (int k = 0; k < n; k++) {
            trace.measured(order.get(k), points.get(k)[0], points.get(k)[1]);
        }
        // verified: the front steps of full re-rankings, and the last region, alone when placed
        return new Result(trace.build(fullProbs, blankProbs, checked, Exactness.HEURISTIC, fullSteps + 1, n,
                SearchCertificate.TAIL_BACK_END), i);
    }

    /** For each pending c: the image keeping V ∖ (back ∪ {c}), then the one keeping back ∪ {c}. */
    private static void addBackImages(List<BitSet> batch, int[] pending, BitSet backSet, int n) {
        for (int c : pending) {
            BitSet removed = KeptSets.plus(backSet, c);
            batch.add(KeptSets.complement(removed, n));
            batch.add(removed);
        }
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int indexOf(int[] ids, int id) {
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] == id) {
                return j;
            }
        }
        throw new IllegalStateException("region " + id + " was not scored");
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    @Override
    public String name() {
        return SearchKind.EFFICIENT.cliName();
    }

    @Override
    public Map<String, Object> settings() {
        return SearchSettings.budgeted(objective, null, budget, SearchSettings.SEARCH_SCOPE, searchScope,
                SearchSettings.PENDING_SAMPLES, pendingSamples, SearchSettings.UPDATE_STEP, updateStep);
    }
}
