package io.github.eagle4j.metrics;

import io.github.eagle4j.RegionSet;
import io.github.eagle4j.search.SearchStep;
import io.github.eagle4j.search.SearchTrace;

import java.util.List;

/**
 * The attribution map of an order (docs/method.md §8, {@code add_value} in closed form, in double): the
 * region at rank k gets {@code Σ_{j>k}|g_j| / Σ_{j>1}|g_j|} with gains {@code g_k = F_k − F_{k−1}}, so rank 1
 * is exactly 1 and rank N exactly 0. Where all gains after the first are 0 the authors get NaN; eagle4j
 * gives rank 1 the value 1 and every other region 0 (§15.6).
 */
public final class AttributionMap {
    private AttributionMap() {
    }

    /**
     * Attribution value per region id.
     *
     * @param trace     the search's steps (objective per rank)
     * @param objective0 F(∅) with the λs searched with; only the first gain depends on it, and the
     *                  closed form does not use the first gain
     */
    public static double[] regionScores(SearchTrace trace, double objective0) {
        List<SearchStep> steps = trace.steps();
        int n = steps.size();
        double[] absGain = new double[n];
        double previous = objective0;
        for (int k = 0; k < n; k++) {
            absGain[k] = Math.abs(steps.get(k).objective() - previous);
            previous = steps.get(k).objective();
        }
        // tail[k] = Σ_{j>k} |g_j| (0-based ranks), summed from the back for accuracy and O(N)
        double[] tail = new double[n];
        double running = 0;
        for (int k = n - 1; k >= 0; k--) {
            tail[k] = running;
            running += absGain[k];
        }
        double denominator = tail[0];
        double[] scores = new double[n];
        for (int k = 0; k < n; k++) {
            int region = steps.get(k).region();
            if (denominator > 0) {
                scores[region] = tail[k] / denominator;
            } else {
                scores[region] = k == 0 ? 1.0 : 0.0;
            }
        }
        return scores;
    }

    /** The per-pixel map (raster order): each pixel gets its region's score; unlabelled pixels get 0. */
    public static double[] pixelMap(RegionSet regions, double[] regionScores) {
        double[] map = new double[regions.width() * regions.height()];
        for (int i = 0; i < map.length; i++) {
            int r = regions.labelAt(i);
            map[i] = r == RegionSet.UNLABELLED ? 0.0 : regionScores[r];
        }
        return map;
    }
}
