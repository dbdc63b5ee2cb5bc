package io.github.eagle4j.evaluation.output;

import io.github.eagle4j.ExplainOptions;

/**
 * How many images a search will score at most, from its settings and N alone (docs/method.md §5–§7): what a
 * paid backend quotes before a run starts.
 */
public final class ImageBudget {
    private ImageBudget() {
    }

    /** Full greedy: N(N+1) (+2 with early stop); efficient: its exact count; lazy: bounded by full greedy's + 2. */
    public static long upperBound(ExplainOptions options, int n) {
        if (options.method() != io.github.eagle4j.ExplainMethod.EAGLE) {
            return baseline(options, n);
        }
        long full = (long) n * (n + 1);
        return switch (options.search()) {
            case FULL -> full + (options.earlyStop() ? 2 : 0);
            case LAZY -> full + 2;
            case EFFICIENT -> efficient(n, options.searchScope(), options.pendingSamples(), options.updateStep());
        };
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

    /** The efficient search's image count (§6): its control flow depends only on N, s, p and u. */
    public static long efficient(int n, int s, int p, int u) {
        long images = 2; // original and baseline
        int ranked = n;
        for (int i = 0; ranked > 1; i++) {
            boolean fullStep = i == 0 || i % u == 0;
            images += 2L * (fullStep ? ranked : Math.min(s, ranked));
            ranked--;
            if (i == 0) {
                if (ranked > 1) {
                    ranked--; // the back end comes free from the first full ranking
                }
            } else if (ranked > p) {
                images += 2L * p;
                ranked--;
            }
        }
        return images;
    }
}
