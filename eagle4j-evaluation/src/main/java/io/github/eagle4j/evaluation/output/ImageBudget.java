package io.github.eagle4j.evaluation.output;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.search.EfficientSearch;
import io.github.eagle4j.search.FullGreedySearch;

/**
 * How many images a search will score at most, from its settings and N alone (docs/method.md §5–§7): what a
 * paid backend quotes before a run starts.
 */
public final class ImageBudget {
    private ImageBudget() {
    }

    /**
     * Full greedy: N(N+1) (+2 with early stop); efficient: its exact count; lazy and fast: bounded by full greedy's
     * + 2; a budget caps every search (docs/search.md).
     */
    public static long upperBound(ExplainOptions options, int n) {
        long full = FullGreedySearch.imageCount(n, false);
        long bound = switch (options.search()) {
            case FULL -> FullGreedySearch.imageCount(n, options.earlyStop());
            case LAZY, FAST -> full + 2;
            case EFFICIENT -> efficient(n, options.searchScope(), options.pendingSamples(), options.updateStep());
        };
        return options.hasBudget() ? Math.min(bound, options.budget()) : bound;
    }

    /** The efficient search's image count (§6). */
    public static long efficient(int n, int s, int p, int u) {
        return EfficientSearch.imageCount(n, s, p, u);
    }
}
