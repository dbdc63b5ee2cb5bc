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
    /** Fast search: candidates re-scored per step by their latest gains (Integer). */
    public static final String FAST_WINDOW = "fastWindow";
    /** Fast search: candidates re-scored per step by the surrogate's predictions (Integer). */
    public static final String FAST_EXPLORE = "fastExplore";
    /** Fast search: seed of the random masks (Long). */
    public static final String SEED = "seed";
    /** Fast search: relative distance below F(V) at which the exact phase stops (Double). */
    public static final String SATURATION = "saturation";
    /** Images the search was allowed (Long); present only when a budget was set. */
    public static final String BUDGET = "budget";
    /** Early stop: ε (Double). */
    public static final String EARLY_STOP_EPSILON = "earlyStopEpsilon";

    private SearchSettings() {
    }

    /** λs first, then the search's own knobs in the given order, then ε when early stop is on. */
    static Map<String, Object> of(Objective objective, EarlyStop earlyStop, Object... knobs) {
        return budgeted(objective, earlyStop, SearchBudget.UNLIMITED, knobs);
    }

    /** As {@link #of(Objective, EarlyStop, Object...)}, then the budget when one is set. */
    static Map<String, Object> budgeted(Objective objective, EarlyStop earlyStop, long budget, Object... knobs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(LAMBDA1, objective.lambda1());
        m.put(LAMBDA2, objective.lambda2());
        for (int i = 0; i < knobs.length; i += 2) {
            m.put((String) knobs[i], knobs[i + 1]);
        }
        if (earlyStop != null) {
            m.put(EARLY_STOP_EPSILON, earlyStop.epsilon());
        }
        if (budget != SearchBudget.UNLIMITED) {
            m.put(BUDGET, budget);
        }
        return Collections.unmodifiableMap(m);
    }
}
