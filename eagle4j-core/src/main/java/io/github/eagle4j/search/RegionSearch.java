package io.github.eagle4j.search;

import io.github.eagle4j.ProgressListener;

import java.util.Map;

/** Orders regions by the objective (docs/method.md §5–§7). */
public interface RegionSearch {
    /**
     * Runs the search.
     *
     * @param scorer        scores kept-region sets, one batch per call
     * @param regionAreas   each region's fraction of the image's pixels, indexed by region id
     * @param listener      progress after each step
     */
    SearchTrace search(KeptRegionsScorer scorer, double[] regionAreas, ProgressListener listener);

    /** {@code full}, {@code efficient} or {@code lazy}. */
    String name();

    /** Knobs for provenance (λs, s/p/u, b, ε). */
    Map<String, Object> settings();
}
