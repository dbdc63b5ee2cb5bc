package io.github.eagle4j.search;

import io.github.eagle4j.Exactness;

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
 * @param certificate     which steps were verified or searched, how the rest was ordered, the budget
 */
public record SearchTrace(List<SearchStep> steps, double[] fullImageProbs, double[] blankImageProbs,
                          long imagesScored, int scorerCalls, Exactness exactness, boolean approximate,
                          SearchCertificate certificate) {
    public SearchTrace {
        steps = List.copyOf(steps);
        java.util.Objects.requireNonNull(certificate, "certificate");
    }

    /** A trace whose every step was searched, with no budget and nothing verified (for traces made elsewhere). */
    public SearchTrace(List<SearchStep> steps, double[] fullImageProbs, double[] blankImageProbs,
                       long imagesScored, int scorerCalls, Exactness exactness, boolean approximate) {
        this(steps, fullImageProbs, blankImageProbs, imagesScored, scorerCalls, exactness, approximate,
                new SearchCertificate(0, steps.size(), SearchCertificate.TAIL_NONE, -1, null));
    }

    /** The same trace with a verification attached to its certificate and its images and calls counted. */
    public SearchTrace withVerification(StepVerification v, int calls) {
        return new SearchTrace(steps, fullImageProbs, blankImageProbs, imagesScored + v.images(), scorerCalls + calls,
                exactness, approximate, certificate.withVerification(v));
    }

    /** Region ids, most important first. */
    public int[] order() {
        return steps.stream().mapToInt(SearchStep::region).toArray();
    }
}
