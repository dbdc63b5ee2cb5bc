package io.github.eagle4j.baselines;

import java.util.Arrays;
import java.util.Map;

/**
 * A baseline's result: a region order and the raw attribution behind it.
 *
 * @param method       the method's command-line name, e.g. {@code rise}
 * @param order        region ids, most important first (higher raw score first, ties by lower id)
 * @param scores       raw attribution per region id, in the method's own units (RISE: mean score of the masks
 *                     that keep the region over p; LIME: surrogate coefficient; KernelSHAP: Shapley value;
 *                     occlusion: score drop; random: the rank map)
 * @param imagesScored images the method scored to build the order (not the curves scored afterwards)
 * @param scorerCalls  scorer calls those images took
 * @param settings     the method's knobs (samples, seed, p, kernel width, ...) for provenance
 */
public record RegionAttribution(String method, int[] order, double[] scores, long imagesScored, int scorerCalls,
                                Map<String, Object> settings) {

    /** Region ids by decreasing score, ties by lower id. */
    public static int[] rank(double[] scores) {
        Integer[] ids = new Integer[scores.length];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = r;
        }
        Arrays.sort(ids, (a, b) -> {
            int c = Double.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] order = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            order[i] = ids[i];
        }
        return order;
    }

    /**
     * The scores rescaled to [0, 1] for a map (min → 0, max → 1); the order's rank map when every score is
     * equal (or not finite), so the first region still gets 1.
     */
    public double[] normalizedScores() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        double[] out = new double[scores.length];
        if (!(max > min) || !Double.isFinite(max - min)) {
            int n = order.length;
            for (int k = 0; k < n; k++) {
                out[order[k]] = n == 1 ? 1.0 : (double) (n - 1 - k) / (n - 1);
            }
            return out;
        }
        for (int r = 0; r < out.length; r++) {
            out[r] = (scores[r] - min) / (max - min);
        }
        return out;
    }
}
