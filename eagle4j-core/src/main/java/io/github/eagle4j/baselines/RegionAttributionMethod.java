package io.github.eagle4j.baselines;

import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.masking.Masker;

/**
 * A way of ranking regions from a model's scores of masked images. Implementations are immutable and
 * thread-safe; all randomness comes from the seed they were built with.
 */
public interface RegionAttributionMethod {
    /** The command-line name, e.g. {@code rise}. */
    String name();

    /**
     * Ranks the masker's regions.
     *
     * @param masker   the image, its regions and the fill of removed regions
     * @param scorer   the model, bound to the prompt, answer and targets; a masked image's score is the mean
     *                 probability of the targets
     * @param listener told after each scorer call: (samples done scaled to N regions, N, images so far)
     * @throws io.github.eagle4j.ScoringException when the scorer fails or answers with a malformed row
     */
    RegionAttribution attribute(Masker masker, TokenScorer scorer, ProgressListener listener);
}
