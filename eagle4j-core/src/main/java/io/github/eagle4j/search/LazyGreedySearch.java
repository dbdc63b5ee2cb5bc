package io.github.eagle4j.search;

import io.github.eagle4j.Exactness;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.SearchKind;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Lazy greedy search, eagle4j's own (docs/method.md §7): a priority queue of stale marginal gains. An entry whose
 * gain was evaluated against the current set is placed; otherwise up to {@code b} stale entries are re-scored
 * in one call. When F is submodular a stale gain bounds the fresh one, so the order equals full greedy's;
 * otherwise it is a heuristic, hence exactness {@code exact-if-submodular}.
 *
 * <p>Cost: the original and blank images (for F(∅)) and all N singletons share the first call
 * (2N + 2 images); each re-scoring call then costs 2 images per entry. The queue orders by gain descending,
 * then lower region id, the tie rule of full greedy. With {@link EarlyStop} nothing extra is scored: F(V)
 * comes from the same original/blank pair, and the rest is appended in queue order (their latest gains).
 */
public final class LazyGreedySearch implements RegionSearch {
    private final Objective objective;
    private final int batchSize;
    private final EarlyStop earlyStop;
    private final long budget;

    /**
     * Lazy greedy without early stop.
     *
     * @param batchSize b ≥ 1, stale entries re-scored per call (spec default: the scorer's preferred batch size)
     */
    public LazyGreedySearch(Objective objective, int batchSize) {
        this(objective, batchSize, null);
    }

    /**
     * Lazy greedy with an optional early stop.
     *
     * @param batchSize b ≥ 1, stale entries re-scored per call
     * @param earlyStop the stop rule, or {@code null} to place every region by search
     * @throws IllegalArgumentException when b is below 1
     */
    public LazyGreedySearch(Objective objective, int batchSize, EarlyStop earlyStop) {
        this(objective, batchSize, earlyStop, SearchBudget.UNLIMITED);
    }

    /**
     * Lazy greedy with an image budget: when the next re-scoring would leave too few images to score the points of
     * the regions not yet placed, those are appended in queue order (their latest gains) and their points scored in
     * one call; a budget too small even for that interpolates them. At least 2N + 2 images (the first call).
     *
     * @param budget images allowed, or {@link SearchBudget#UNLIMITED}
     */
    public LazyGreedySearch(Objective objective, int batchSize, EarlyStop earlyStop, long budget) {
        this.budget = SearchBudget.check(budget);
        this.objective = Objects.requireNonNull(objective, "objective");
        if (batchSize < 1) {
            throw new IllegalArgumentException("lazy batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.earlyStop = earlyStop;
    }

    /** The objective searched with. */
    public Objective objective() {
        return objective;
    }

    /** b. */
    public int batchSize() {
        return batchSize;
    }

    /** The early-stop rule, if any. */
    public Optional<EarlyStop> earlyStop() {
        return Optional.ofNullable(earlyStop);
    }

    /** A candidate's latest evaluation: F(S_step ∪ {region}) and its gain over F(S_step). */
    private record Entry(int region, double gain, int step, double objective, double[] ins, double[] del) {
    }

    private static final Comparator<Entry> ORDER =
            Comparator.comparingDouble(Entry::gain).reversed().thenComparingInt(Entry::region);

    @Override
    public SearchTrace search(KeptRegionsScorer scorer, double[] regionAreas, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        CheckedScorer checked = new CheckedScorer(scorer, regionAreas, budget);
        int n = checked.regionCount();
        SearchBudget.require(budget, FastSearch.smallestBudget(n), name(), n, "");
        TraceBuilder trace = new TraceBuilder(objective, regionAreas);
        BitSet chosen = new BitSet(n);

        List<BitSet> first = new ArrayList<>(2 * n + 2);
        first.add(KeptSets.all(n));
        first.add(new BitSet(n));
        List<Integer> singletons = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            singletons.add(c);
        }
        addImages(first, chosen, singletons, n);
        double[][] probs = checked.score(first);
        double[] fullProbs = probs[0];
        double[] blankProbs = probs[1];
        double current = objective.ofEmptySet(fullProbs, blankProbs);
        double fullSetObjective = objective.value(fullProbs, blankProbs);
        PriorityQueue<Entry> heap = new PriorityQueue<>(ORDER);
        push(heap, singletons, probs, 2, current, 0);

        int step = 0;
        int verified = 0;
        int searched = 0;
        String tailOrder = SearchCertificate.TAIL_NONE;
        while (!heap.isEmpty()) {
            if (heap.peek().step() == step) {
                Entry top = heap.poll();
                searched++;
                if (heap.stream().allMatch(e -> e.step() == top.step())) {
                    verified++; // every candidate left was scored against the same set: a full scoring
                }
                chosen.set(top.region());
                trace.measured(top.region(), top.ins(), top.del());
                current = top.objective();
                step++;
                listener.onProgress(step, n, checked.imagesScored());
                if (earlyStop != null && !heap.isEmpty() && earlyStop.reached(current, fullSetObjective)) {
                    int[] rest = new int[heap.size()];
                    for (int j = 0; j < rest.length; j++) {
                        rest[j] = heap.poll().region();
                    }
                    trace.interpolatedTo(rest, fullProbs, blankProbs);
                    tailOrder = SearchCertificate.TAIL_STALE_GAINS;
                    for (int j = 1; j <= rest.length; j++) {
                        listener.onProgress(step + j, n, checked.imagesScored());
                    }
                }
            } else {
                long spare = checked.remaining() - TailPoints.cost(heap.size());
                int b = (int) Math.min(batchSize, spare / 2);
                if (b < 1) {
                    // the budget is kept for the points of the regions left, placed in queue order
                    int[] rest = new int[heap.size()];
                    for (int j = 0; j < rest.length; j++) {
                        rest[j] = heap.poll().region();
                    }
                    TailPoints.append(trace, rest, chosen, checked, fullProbs, blankProbs);
                    tailOrder = SearchCertificate.TAIL_STALE_GAINS;
                    listener.onProgress(n, n, checked.imagesScored());
                    break;
                }
                List<Integer> stale = new ArrayList<>(b);
                while (stale.size() < b && !heap.isEmpty() && heap.peek().step() != step) {
                    stale.add(heap.poll().region());
                }
                List<BitSet> batch = new ArrayList<>(2 * stale.size());
                addImages(batch, chosen, stale, n);
                push(heap, stale, checked.score(batch), 0, current, step);
            }
        }
        return trace.build(fullProbs, blankProbs, checked, Exactness.EXACT_IF_SUBMODULAR, verified, searched, tailOrder);
    }

    /** For each candidate c: the image keeping S ∪ {c}, then the one removing it. */
    private static void addImages(List<BitSet> batch, BitSet chosen, List<Integer> candidates, int n) {
        for (int c : candidates) {
            BitSet kept = KeptSets.plus(chosen, c);
            batch.add(kept);
            batch.add(KeptSets.complement(kept, n));
        }
    }

    private void push(PriorityQueue<Entry> heap, List<Integer> candidates, double[][] probs, int offset,
                      double current, int step) {
        for (int j = 0; j < candidates.size(); j++) {
            double[] ins = probs[offset + 2 * j];
            double[] del = probs[offset + 2 * j + 1];
            double f = objective.value(ins, del);
            heap.add(new Entry(candidates.get(j), f - current, step, f, ins, del));
        }
    }

    @Override
    public String name() {
        return SearchKind.LAZY.cliName();
    }

    @Override
    public Map<String, Object> settings() {
        return SearchSettings.budgeted(objective, earlyStop, budget, SearchSettings.LAZY_BATCH, batchSize);
    }
}
