package io.github.eagle4j.search;

import java.util.List;

/**
 * The outcome of a region search: the order and the curves along it.
 *
 * @param steps           one per rank k = 1..N, in order; {@code steps.get(k-1).region()} is the k-th region
 * @param fullImageProbs  per target, the intact image
 * @param blankImageProbs per target, every region removed
 * @param imagesScored    images sent to the scorer
 * @param scorerCalls     batches sent to the scorer
 * @param exactness       {@code exact} (full greedy), {@code exact-if-submodular} (lazy), {@code heuristic}
 *                        (efficient)
 * @param approximate     true when some curve points are interpolated (early stop)
 */
public record SearchTrace(List<SearchStep> steps, double[] fullImageProbs, double[] blankImageProbs,
                          long imagesScored, int scorerCalls, String exactness, boolean approximate) {
    public SearchTrace {
        steps = List.copyOf(steps);
    }

    /** Region ids, most important first. */
    public int[] order() {
        return steps.stream().mapToInt(SearchStep::region).toArray();
    }
}
