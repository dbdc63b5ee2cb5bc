package io.github.eagle4j.diagnosis;

import java.util.Arrays;

/**
 * The minimal correction of one hallucinated answer (docs/method.md §10).
 *
 * @param correctingK    the largest k (1..N) whose re-generated answer, with only the first k regions of the
 *                       order kept, starts with the label word; 0 when no k corrects the answer
 * @param mcr            the minimal correction region: the removed area fraction {@code 1 − area_k}, 0 when the
 *                       full image already gives the correct answer, 1 when no k works
 * @param culpritRegions the removed tail at {@code correctingK}: region ids at ranks k+1..N, in rank order
 *                       (empty when the full image is correct or no k works)
 * @param removedArea    the culprits' share of the image's pixels ({@code 1 − area_k}; 0 when never corrected)
 */
public record Correction(int correctingK, double mcr, int[] culpritRegions, double removedArea) {
    public Correction {
        culpritRegions = culpritRegions.clone();
    }

    /** True when some k gave the correct answer. */
    public boolean corrected() {
        return correctingK > 0;
    }

    /** True when the answer was corrected by removing at most {@code budget} of the image (CSR's test). */
    public boolean withinBudget(double budget) {
        return corrected() && mcr <= budget;
    }

    @Override
    public int[] culpritRegions() {
        return culpritRegions.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Correction c && c.correctingK == correctingK && Double.compare(c.mcr, mcr) == 0
                && Double.compare(c.removedArea, removedArea) == 0 && Arrays.equals(c.culpritRegions, culpritRegions);
    }

    @Override
    public int hashCode() {
        return 31 * Integer.hashCode(correctingK) + Arrays.hashCode(culpritRegions);
    }

    @Override
    public String toString() {
        return "Correction[k=" + correctingK + ", mcr=" + mcr + ", culprits=" + Arrays.toString(culpritRegions) + "]";
    }
}
