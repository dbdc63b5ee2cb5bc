package io.github.eagle4j;

import java.util.Locale;

/**
 * What orders the regions of an explanation: EAGLE's search over its objective, or one of the black-box
 * baselines it is compared with. Every method works on the same regions, fill and {@link TokenScorer}, and its
 * order is scored with the same protocol (region-area steps), so their curves and metrics compare directly.
 */
public enum ExplainMethod {
    /** EAGLE: greedy search over sufficiency plus necessity (the configured {@link SearchKind}). */
    EAGLE(false),
    /** RISE (Petsiuk et al., BMVC 2018): random region masks, saliency = mask-weighted mean score over p. */
    RISE(true),
    /** LIME (Ribeiro et al., KDD 2016): weighted ridge surrogate on region on/off samples. */
    LIME(true),
    /** KernelSHAP (Lundberg and Lee, NeurIPS 2017): Shapley values of regions by kernel-weighted regression. */
    KERNELSHAP(true),
    /** Single-region occlusion: regions ranked by the score drop when each alone is removed (N images). */
    OCCLUSION(false),
    /** A uniformly random order (no image scored to build it): the floor every method should beat. */
    RANDOM(false);

    private final boolean sampling;

    ExplainMethod(boolean sampling) {
        this.sampling = sampling;
    }

    /** True for the methods whose cost is a number of samples ({@code --baseline-samples}). */
    public boolean sampling() {
        return sampling;
    }

    /** The lower-case name used on the command line and in JSON. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The method of a command-line name, case-insensitive.
     *
     * @throws IllegalArgumentException naming the accepted names when {@code name} is none of them
     */
    public static ExplainMethod parse(String name) {
        String s = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (ExplainMethod m : values()) {
            if (m.cliName().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "'; expected eagle, rise, lime, kernelshap, "
                + "occlusion or random");
    }
}
