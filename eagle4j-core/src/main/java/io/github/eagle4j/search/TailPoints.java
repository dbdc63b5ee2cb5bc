package io.github.eagle4j.search;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Appends regions a search ordered without searching them (a tail) to a trace. Their curve points are scored —
 * the insertion and deletion image of every prefix, all in one call — when the budget allows, so the curves and
 * AUCs stay measured; only when it does not are they interpolated as early stop does (docs/method.md §7). The
 * last region's point is the end pair the caller passes, scored already: the original/blank pair, or the first
 * point of regions the search placed at the back.
 */
final class TailPoints {
    private TailPoints() {
    }

    /** Images {@link #append} scores for a tail of {@code length} regions when it can. */
    static long cost(int length) {
        return length <= 1 ? 0 : 2L * (length - 1);
    }

    /**
     * The insertion and deletion kept sets of every prefix of {@code tail} but the whole (the last point is the
     * original/blank pair), interleaved: [insertion 1, deletion 1, insertion 2, ...]; {@code chosen} is not changed.
     */
    static List<BitSet> prefixImages(int[] tail, BitSet chosen, int n) {
        List<BitSet> batch = new ArrayList<>(2 * tail.length);
        BitSet kept = (BitSet) chosen.clone();
        for (int j = 0; j < tail.length - 1; j++) {
            kept.set(tail[j]);
            batch.add((BitSet) kept.clone());
            batch.add(KeptSets.complement(kept, n));
        }
        return batch;
    }

    /**
     * @param chosen the regions placed before the tail; the tail's regions are added to it
     * @return true when the points were scored, false when they were interpolated
     */
    static boolean append(TraceBuilder trace, int[] tail, BitSet chosen, CheckedScorer scorer, double[] fullProbs,
                          double[] blankProbs) {
        if (tail.length == 0) {
            return true;
        }
        int n = scorer.regionCount();
        if (cost(tail.length) > scorer.remaining()) {
            trace.interpolatedTo(tail, fullProbs, blankProbs);
            for (int r : tail) {
                chosen.set(r);
            }
            return false;
        }
        List<BitSet> batch = prefixImages(tail, chosen, n);
        // a search may have scored some of these already (the last prefix but one of a search without a back end is
        // a singleton pair of its first call)
        double[][] probs = batch.isEmpty() ? new double[0][] : scorer.scoreOnce(batch);
        for (int j = 0; j < tail.length - 1; j++) {
            trace.measured(tail[j], probs[2 * j], probs[2 * j + 1]);
        }
        trace.measured(tail[tail.length - 1], fullProbs, blankProbs);
        for (int r : tail) {
            chosen.set(r);
        }
        return true;
    }
}
