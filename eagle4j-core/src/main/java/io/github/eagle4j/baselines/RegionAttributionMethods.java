package io.github.eagle4j.baselines;

import io.github.eagle4j.ExplainMethod;

/** Builds the baseline an {@link ExplainMethod} names, with the paper's or tool's default knobs. */
public final class RegionAttributionMethods {
    private RegionAttributionMethods() {
    }

    /**
     * The baseline for {@code method}.
     *
     * @param samples images a sampling method scores (RISE, LIME, KernelSHAP); ignored by the others
     * @param seed    seed of the sampling methods and of the random order
     * @throws IllegalArgumentException for {@link ExplainMethod#EAGLE} (a search, not a baseline) or bad samples
     */
    public static RegionAttributionMethod create(ExplainMethod method, int samples, long seed) {
        return switch (method) {
            case RISE -> new RiseAttribution(samples, seed);
            case LIME -> new LimeAttribution(samples, seed);
            case KERNELSHAP -> new KernelShapAttribution(samples, seed);
            case OCCLUSION -> new OcclusionAttribution();
            case RANDOM -> new RandomAttribution(seed);
            case EAGLE -> throw new IllegalArgumentException("eagle is a search, not a baseline");
        };
    }
}
