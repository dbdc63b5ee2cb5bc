package io.github.eagle4j.search;

import java.util.List;

/**
 * The outcome of re-scoring sampled steps of a finished order in full ({@code --verify-steps K}): at each sampled
 * step k every region not among the first k−1 is scored against them, and the step <em>agrees</em> when the
 * region the search placed at k has the largest objective (a tie with the largest counts as agreement).
 *
 * @param steps  the re-checked steps (1-based ranks), ascending
 * @param agreed per re-checked step, whether it agrees
 * @param images images scored for the re-check (on top of the search's own)
 * @param seed   seed of the sample
 */
public record StepVerification(List<Integer> steps, List<Boolean> agreed, long images, long seed) {
    public StepVerification {
        steps = List.copyOf(steps);
        agreed = List.copyOf(agreed);
        if (steps.size() != agreed.size()) {
            throw new IllegalArgumentException("one agreement per step expected");
        }
    }

    /** Re-checked steps that agree. */
    public int agreements() {
        return (int) agreed.stream().filter(Boolean::booleanValue).count();
    }
}
