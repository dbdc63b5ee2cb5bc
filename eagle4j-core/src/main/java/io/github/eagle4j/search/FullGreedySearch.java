package io.github.eagle4j.search;

import io.github.eagle4j.Exactness;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.SearchKind;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Full greedy search, the paper's search and eagle4j's reference (docs/method.md §5): at step k every remaining
 * candidate c is scored with its insertion image (keeps S ∪ {c}) and its deletion image (removes S ∪ {c}),
 * all in one scorer call, and the c with the largest F(S ∪ {c}) is placed; ties go to the lower region id.
 *
 * <p>Cost: N(N+1) images in N calls; the original and blank image are the last step's two images, so they
 * cost nothing extra. With {@link EarlyStop} they are scored up front, inside the first step's call (2 more
 * images, no extra call), and a run that stops after step K costs {@code 2 + K·(2N − K + 1)} images in K
 * calls.
 */
public final class FullGreedySearch implements RegionSearch {
    private final Objective objective;
    private final EarlyStop earlyStop;
    private final long budget;

    /** Full greedy without early stop. */
    public FullGreedySearch(Objective objective) {
        this(objective, null);
    }

    /**
     * Full greedy with an optional early stop.
     *
     * @param earlyStop the stop rule, or {@code null} to place every region by search
     */
    public FullGreedySearch(Objective objective, EarlyStop earlyStop) {
        this(objective, earlyStop, SearchBudget.UNLIMITED);
    }

    /**
     * Full greedy with an optional early stop and an image budget, which must cover the whole search
     * ({@link #imageCount(int, boolean)}): full greedy has no cheaper order to fall back on.
     *
     * @param budget images allowed, or {@link SearchBudget#UNLIMITED}
     */
    public FullGreedySearch(Objective objective, EarlyStop earlyStop, long budget) {
        this.objective = Objects.requireNonNull(objective, "objective");
        this.earlyStop = earlyStop;
        this.budget = SearchBudget.check(budget);
    }

    /** The most images full greedy scores on N regions: N(N+1), plus 2 with early stop. */
    public static long imageCount(int n, boolean earlyStop) {
        return SearchBudget.fullGreedy(n) + (earlyStop ? 2 : 0);
    }

    /** The objective searched with. */
    public Objective objective() {
        return objective;
    }

    /** The early-stop rule, if any. */
    public Optional<EarlyStop> earlyStop() {
        return Optional.ofNullable(earlyStop);
    }

    @Override
    public SearchTrace search(KeptRegionsScorer scorer, double[] regionAreas, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        CheckedScorer checked = new CheckedScorer(scorer, regionAreas, budget);
        int n = checked.regionCount();
        SearchBudget.require(budget, imageCount(n, earlyStop != null), name(), n,
                "; search 'fast' orders regions within a smaller budget");
        TraceBuilder trace = new TraceBuilder(objective, regionAreas);
        BitSet chosen = new BitSet(n);
        List<Integer> remaining = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            remaining.add(r);
        }
        double[] fullProbs = null;
        double[] blankProbs = null;
        double fullSetObjective = Double.NaN;
        double[] lastIns = null;
        double[] lastDel = null;
        for (int k = 1; k <= n; k++) {
            List<BitSet> batch = new ArrayList<>(2 * remaining.size() + 2);
            boolean upFront = earlyStop != null && k == 1;
            if (upFront) {
                batch.add(KeptSets.all(n));
                batch.add(new BitSet(n));
            }
            int offset = batch.size();
            for (int c : remaining) {
                BitSet kept = KeptSets.plus(chosen, c);
                batch.add(kept);
                batch.add(KeptSets.complement(kept, n));
            }
            double[][] probs = checked.score(batch);
            if (upFront) {
                fullProbs = probs[0];
                blankProbs = probs[1];
                fullSetObjective = objective.value(fullProbs, blankProbs);
            }
            int[] ids = new int[remaining.size()];
            double[] values = new double[ids.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = remaining.get(i);
                values[i] = objective.value(probs[offset + 2 * i], probs[offset + 2 * i + 1]);
            }
            int w = Ranking.best(ids, values);
            lastIns = probs[offset + 2 * w];
            lastDel = probs[offset + 2 * w + 1];
            trace.measured(ids[w], lastIns, lastDel);
            chosen.set(ids[w]);
            remaining.remove(w);
            listener.onProgress(k, n, checked.imagesScored());
            if (earlyStop != null && !remaining.isEmpty() && earlyStop.reached(values[w], fullSetObjective)) {
                // the rest keep this step's ranking, which evaluated all of them against the same S
                int[] restIds = new int[ids.length - 1];
                double[] restValues = new double[ids.length - 1];
                for (int i = 0, j = 0; i < ids.length; i++) {
                    if (i != w) {
                        restIds[j] = ids[i];
                        restValues[j++] = values[i];
                    }
                }
                int[] rest = Ranking.sorted(restIds, restValues);
                trace.interpolatedTo(rest, fullProbs, blankProbs);
                for (int j = 1; j <= rest.length; j++) {
                    listener.onProgress(k + j, n, checked.imagesScored());
                }
                return trace.build(fullProbs, blankProbs, checked, Exactness.EXACT, k, k,
                        SearchCertificate.TAIL_LAST_RANKING);
            }
        }
        // the last step's insertion image is the original, its deletion image the blank one
        return trace.build(earlyStop != null ? fullProbs : lastIns, earlyStop != null ? blankProbs : lastDel,
                checked, Exactness.EXACT, n, n, SearchCertificate.TAIL_NONE);
    }

    @Override
    public String name() {
        return SearchKind.FULL.cliName();
    }

    @Override
    public Map<String, Object> settings() {
        return SearchSettings.budgeted(objective, earlyStop, budget);
    }
}
