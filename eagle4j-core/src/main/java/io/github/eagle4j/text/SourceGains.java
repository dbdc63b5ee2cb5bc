package io.github.eagle4j.text;

import io.github.eagle4j.search.Objective;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Scores each source's part of a joint order with the other source intact (docs/text.md, "Region and span scores
 * of the joint search"). The regions keep the order the joint search gave them; along that sub-order
 * {@code r_1..r_N}, with every span kept, {@code F_k = λ1·p(r_1..r_k kept) + λ2·(1 − p(r_1..r_k removed))} and
 * region {@code r_k} scores its gain {@code g_k = F_k − F_{k−1}}, divided by the largest {@code |g|} of the
 * regions. The spans are scored the same way along their sub-order with the image intact.
 *
 * <p>Why not the joint order's own map: a yes/no answer needs both the object and the question's words (an AND
 * game). Once the joint search has placed a decisive word, removing or adding a region changes little, so the
 * regions after it are ordered by noise; with the prompt intact, the object's region shows its gain wherever it
 * sits in the sub-order.
 *
 * <p>All inputs of both sources go to the scorer in one call: {@code 2(N+1) + 2(M+1)} inputs.
 */
public final class SourceGains {
    private SourceGains() {
    }

    /**
     * Region and span scores of a joint order.
     *
     * @param scorer    the joint scorer (candidates {@code 0..N-1} regions, {@code N..N+M-1} spans)
     * @param order     the joint order, candidate ids
     * @param objective the objective searched with
     * @return {@code [0]} a score per region id, {@code [1]} a score per span id
     */
    public static double[][] of(JointKeptScorer scorer, int[] order, Objective objective) {
        int total = scorer.regionCount();
        int n = scorer.imageRegionCount();
        int m = total - n;
        List<Integer> regionOrder = new ArrayList<>();
        List<Integer> spanOrder = new ArrayList<>();
        for (int id : order) {
            (id < n ? regionOrder : spanOrder).add(id);
        }
        BitSet allRegions = range(0, n);
        BitSet allSpans = range(n, total);
        List<BitSet> batch = new ArrayList<>();
        addCurves(batch, regionOrder, allRegions, allSpans);
        addCurves(batch, spanOrder, allSpans, allRegions);
        double[][] p = scorer.scoreKept(batch);
        double[][] out = new double[2][];
        out[0] = scores(p, 0, regionOrder, n, 0, objective);
        out[1] = scores(p, 2 * (n + 1), spanOrder, m, n, objective);
        return out;
    }

    /** Insertion sets k = 0..K, then deletion sets k = 0..K, each with {@code other} kept. */
    private static void addCurves(List<BitSet> batch, List<Integer> subOrder, BitSet own, BitSet other) {
        BitSet placed = new BitSet();
        for (int k = 0; k <= subOrder.size(); k++) {
            if (k > 0) {
                placed.set(subOrder.get(k - 1));
            }
            BitSet kept = (BitSet) placed.clone();
            kept.or(other);
            batch.add(kept);
        }
        placed.clear();
        for (int k = 0; k <= subOrder.size(); k++) {
            if (k > 0) {
                placed.set(subOrder.get(k - 1));
            }
            BitSet kept = (BitSet) own.clone();
            kept.andNot(placed);
            kept.or(other);
            batch.add(kept);
        }
    }

    private static double[] scores(double[][] p, int offset, List<Integer> subOrder, int count, int idBase, Objective objective) {
        int k = subOrder.size();
        double[] gains = new double[k];
        double previous = objective.value(p[offset], p[offset + k + 1]);
        double largest = 0;
        for (int i = 1; i <= k; i++) {
            double f = objective.value(p[offset + i], p[offset + k + 1 + i]);
            gains[i - 1] = f - previous;
            previous = f;
            largest = Math.max(largest, Math.abs(gains[i - 1]));
        }
        double[] out = new double[count];
        for (int i = 0; i < k; i++) {
            out[subOrder.get(i) - idBase] = largest > 0 ? gains[i] / largest : (i == 0 ? 1.0 : 0.0);
        }
        return out;
    }

    private static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to);
        return b;
    }
}
