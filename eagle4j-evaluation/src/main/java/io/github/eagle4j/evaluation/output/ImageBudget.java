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
        if (options.method() != io.github.eagle4j.ExplainMethod.EAGLE) {
            return baseline(options, n);
        }
        long full = FullGreedySearch.imageCount(n, false);
        long bound = switch (options.search()) {
            case FULL -> FullGreedySearch.imageCount(n, options.earlyStop());
            case LAZY, FAST -> full + 2;
            case EFFICIENT -> efficient(n, options.searchScope(), options.pendingSamples(), options.updateStep());
        };
        return options.hasBudget() ? Math.min(bound, options.budget()) : bound;
    }

    /** A baseline's images (its samples; occlusion N + 1; random none, KernelSHAP at most 2^N) plus its 2N curve images. */
    public static long baseline(ExplainOptions options, int n) {
        long method = switch (options.method()) {
            case RISE, LIME -> options.baselineSamples();
            case KERNELSHAP -> n >= 62 ? options.baselineSamples() : Math.min(options.baselineSamples(), 1L << n);
            case OCCLUSION -> n + 1;
            default -> 0;
        };
        return method + 2L * n;
    }

    /** The efficient search's image count (§6). */
    public static long efficient(int n, int s, int p, int u) {
        return EfficientSearch.imageCount(n, s, p, u);
    }
}
