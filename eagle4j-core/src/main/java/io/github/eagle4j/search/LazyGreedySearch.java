package io.github.eagle4j.search;

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
        CheckedScorer checked = new CheckedScorer(scorer, regionAreas);
        int n = checked.regionCount();
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
        while (!heap.isEmpty()) {
            if (heap.peek().step() == step) {
                Entry top = heap.poll();
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
                    for (int j = 1; j <= rest.length; j++) {
                        listener.onProgress(step + j, n, checked.imagesScored());
                    }
                }
            } else {
                List<Integer> stale = new ArrayList<>(batchSize);
                while (stale.size() < batchSize && !heap.isEmpty() && heap.peek().step() != step) {
                    stale.add(heap.poll().region());
                }
                List<BitSet> batch = new ArrayList<>(2 * stale.size());
                addImages(batch, chosen, stale, n);
                push(heap, stale, checked.score(batch), 0, current, step);
            }
        }
        return trace.build(fullProbs, blankProbs, checked, "exact-if-submodular");
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
        return SearchSettings.of(objective, earlyStop, SearchSettings.LAZY_BATCH, batchSize);
    }
}
