package io.github.eagle4j.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stable key names of {@link RegionSearch#settings()}, for provenance. A key is present only when the
 * search has that knob; {@link #EARLY_STOP_EPSILON} only when early stop is on.
 */
public final class SearchSettings {
    /** λ1, weight of sufficiency (Double). */
    public static final String LAMBDA1 = "lambda1";
    /** λ2, weight of necessity (Double). */
    public static final String LAMBDA2 = "lambda2";
    /** Efficient search: s (Integer). */
    public static final String SEARCH_SCOPE = "searchScope";
    /** Efficient search: p (Integer). */
    public static final String PENDING_SAMPLES = "pendingSamples";
    /** Efficient search: u (Integer). */
    public static final String UPDATE_STEP = "updateStep";
    /** Lazy greedy: b, stale entries re-scored per call (Integer). */
    public static final String LAZY_BATCH = "lazyBatch";
    /** Early stop: ε (Double). */
    public static final String EARLY_STOP_EPSILON = "earlyStopEpsilon";

    private SearchSettings() {
    }

    /** λs first, then the search's own knobs in the given order, then ε when early stop is on. */
    static Map<String, Object> of(Objective objective, EarlyStop earlyStop, Object... knobs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(LAMBDA1, objective.lambda1());
        m.put(LAMBDA2, objective.lambda2());
        for (int i = 0; i < knobs.length; i += 2) {
            m.put((String) knobs[i], knobs[i + 1]);
        }
        if (earlyStop != null) {
            m.put(EARLY_STOP_EPSILON, earlyStop.epsilon());
        }
        return Collections.unmodifiableMap(m);
    }
}
