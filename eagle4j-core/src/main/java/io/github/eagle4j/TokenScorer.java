package io.github.eagle4j;

import io.github.eagle4j.text.PromptToken;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextMaskBatch;

import java.util.List;
import java.util.Set;

/**
 * The one seam between the method and a model: for a fixed prompt and answer, the teacher-forced
 * probability of each target answer token given an image.
 *
 * <p>Implementations are bound to one {@link ScoringTask}. The search sends all candidate images of a
 * step in one call; an implementation may split that list into device batches of its own size
 * ({@link #maxBatchSize()}), but must return one row per image, in order.
 */
public interface TokenScorer extends AutoCloseable {

    /** The prompt, answer and targets these scores are for. */
    ScoringTask task();

    /**
     * Scores images.
     *
     * @return {@code [images][targets]} probabilities in {@code [0, 1]}, columns in {@code task().targets()} order
     * @throws ScoringException when the model or server fails
     */
    double[][] score(List<RgbImage> images);

    /**
     * Scores masked images of one original, given by recipe ({@link MaskedBatch}: the original, its regions, the fill
     * and the regions kept in each image). Searches, baselines and diagnosis call this rather than {@link #score}.
     * The default builds the images' pixels and calls {@link #score}; a backend that can preprocess a masked image
     * from work done once on the original overrides it (the ONNX backend resizes from per-region sums and never
     * builds the full-resolution images). An override must return what {@link #score} returns for
     * {@code batch.images()}.
     *
     * @return {@code [images][targets]} probabilities, one row per kept set, in order
     * @throws ScoringException when the model or server fails
     */
    default double[][] scoreMasked(MaskedBatch batch) {
        return score(batch.images());
    }

    /**
     * The ways this backend can hide prompt spans ({@link io.github.eagle4j.text.TextMask}); empty when it cannot mask
     * prompt text, and then {@link #promptTokens} and {@link #scoreText} are not available.
     */
    default Set<TextMask> textMasks() {
        return Set.of();
    }

    /**
     * The prompt's own tokens in the sequence this scorer feeds for an image of {@code width × height} (for a scorer of
     * several images or a video, {@link #frames()}, the canvas's size), with their message and character offsets in its
     * text ({@link ScoringTask#messages()}): never an image token, a chat-template token or an answer token.
     * {@link io.github.eagle4j.text.SpanSplitter} cuts spans from them.
     *
     * @throws ScoringException when the backend cannot mask prompt text ({@link #textMasks()} is empty)
     */
    default List<PromptToken> promptTokens(int width, int height) {
        throw new ScoringException("backend " + description().backend() + " cannot mask prompt text");
    }

    /**
     * Scores entries that differ in the prompt spans kept (and, for a joint search, in the image regions kept): the
     * text-region counterpart of {@link #scoreMasked}. A backend maps each span to its tokens by the span's
     * characters, so spans cut for one image size stay valid for its masked images.
     *
     * @return {@code [entries][targets]} probabilities, one row per entry, in order
     * @throws ScoringException when the backend cannot do {@code batch.mask()}
     */
    default double[][] scoreText(TextMaskBatch batch) {
        throw new ScoringException("backend " + description().backend() + " cannot mask prompt text with "
                + batch.mask().cliName());
    }

    /**
     * How this backend hides a removed span, in words, for provenance (docs/text.md): by default the model's inputs
     * themselves (the pad token's embedding, or the attention mask); a server that takes only text says how.
     */
    default String textMasking() {
        return "model inputs: pad writes the pad token's embedding, drop zeroes the attention mask";
    }

    /** The largest number of images one model call takes; callers may still pass more. */
    default int maxBatchSize() {
        return Integer.MAX_VALUE;
    }

    /** Backend, model and precision, for provenance. */
    default ScorerDescription description() {
        return new ScorerDescription(getClass().getSimpleName(), "", "", false);
    }

    /**
     * For scorers whose calls cost money (hosted APIs): a one-line estimate of what scoring {@code images}
     * images will cost, e.g. requests and tokens. Empty for scorers that cost nothing per call.
     */
    default java.util.Optional<String> costEstimate(long images) {
        return java.util.Optional.empty();
    }

    /**
     * Counters of what scoring has cost so far beyond images (e.g. {@code requests}, {@code tokensBilled},
     * {@code zeroProbabilityEntries} for hosted APIs), copied into the explanation's provenance. Empty by default.
     */
    default java.util.Map<String, Object> statistics() {
        return java.util.Map.of();
    }

    /** For scorers whose calls cost money: a one-line account of what was spent so far. */
    default java.util.Optional<String> costSpent() {
        return java.util.Optional.empty();
    }

    /**
     * The images each scored canvas is cut into, for a prompt with several images (docs/frames.md); empty for a
     * scorer whose images are the prompt's one image. Maskers built for this scorer fill image by image.
     */
    default java.util.Optional<FrameLayout> frames() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() {
    }
}
