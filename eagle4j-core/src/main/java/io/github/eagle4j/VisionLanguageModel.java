package io.github.eagle4j;

import io.github.eagle4j.text.PromptMessage;

import java.util.List;

/**
 * A loaded vision-language model, as the CLI and applications see it: it answers, tokenises answers and
 * builds {@link TokenScorer}s. Backends (in-process ONNX Runtime, inference servers) implement it; the
 * method itself needs only the scorer.
 */
public interface VisionLanguageModel extends AutoCloseable {

    /**
     * The model's own greedy answer (no sampling).
     *
     * @param maxNewTokens upper bound on generated tokens; generation also stops at the end-of-turn token
     */
    Generation generate(RgbImage image, String prompt, int maxNewTokens);

    /**
     * The tokens of {@code answer} as they appear after the prompt in the rendered conversation, including
     * the end-of-turn token the model emits after the answer (it is a target at sentence level, docs/method.md §1).
     */
    List<AnswerToken> answerTokens(String prompt, String answer);

    /** A scorer bound to the prompt, the answer and the answer tokens at {@code targetIndices}. */
    TokenScorer scorer(String prompt, String answer, List<Integer> targetIndices);

    /**
     * The tokens of a generation as the model generated them. By default the generation's text tokenised again,
     * which can differ (a token ending inside a UTF-8 character, merges the tokenizer would not make); backends
     * that can teacher-force token ids return {@code generation.tokens()}.
     */
    default List<AnswerToken> answerTokens(String prompt, Generation generation) {
        return answerTokens(prompt, generation.text());
    }

    /**
     * A scorer for the model's own generation, bound to the tokens of {@link #answerTokens(String, Generation)} at
     * {@code targetIndices}. By default it teacher-forces the generation's text; backends that can teacher-force
     * token ids teacher-force exactly the generated tokens.
     */
    default TokenScorer scorer(String prompt, Generation generation, List<Integer> targetIndices) {
        return scorer(prompt, generation.text(), targetIndices);
    }

    /**
     * The greedy answer to a prompt with several images, in order (docs/frames.md). By default only one image is
     * taken; backends whose models read several override it.
     *
     * @throws InvalidInputException when the model takes fewer images
     */
    default Generation generate(List<RgbImage> images, String prompt, int maxNewTokens) {
        if (images.size() == 1) {
            return generate(images.get(0), prompt, maxNewTokens);
        }
        throw oneImageOnly(images.size());
    }

    /**
     * A scorer for a prompt with several images: each image it scores is a canvas of {@code frames}
     * ({@link FrameLayout#compose}), cut back into the frames, which the prompt receives in order. By default only a
     * one-frame layout is taken.
     *
     * @throws InvalidInputException when the model takes fewer images
     */
    default TokenScorer scorer(String prompt, String answer, List<Integer> targetIndices, FrameLayout frames) {
        if (frames.count() == 1) {
            return scorer(prompt, answer, targetIndices);
        }
        throw oneImageOnly(frames.count());
    }

    /** A scorer for the model's own generation on several images (see {@link #scorer(String, String, List, FrameLayout)}). */
    default TokenScorer scorer(String prompt, Generation generation, List<Integer> targetIndices, FrameLayout frames) {
        if (frames.count() == 1) {
            return scorer(prompt, generation, targetIndices);
        }
        throw oneImageOnly(frames.count());
    }

    /**
     * How the model samples video frames, with its processor's defaults; empty when it takes no video (docs/frames.md).
     */
    default java.util.Optional<VideoSampling> videoSampling() {
        return java.util.Optional.empty();
    }

    /**
     * How a video's frames reach the model, in one line, for provenance ({@code explanation.json}
     * {@code frames.video.sentAs}): by default as pixel values in the same process.
     */
    default String videoTransport() {
        return "in-process: the frames' pixel values, grouped into the model's temporal patches";
    }

    /**
     * Why the model takes no video, in one line naming the backend, when {@link #videoSampling()} is empty and the reason
     * is more than that the model has no video input (a server that cannot be sent the frames exactly); empty otherwise.
     */
    default java.util.Optional<String> videoRefusal() {
        return java.util.Optional.empty();
    }

    /**
     * The greedy answer to a prompt with a video: {@code frames} are the sampled frames of {@code video}, in order.
     *
     * @throws InvalidInputException when the model takes no video or refuses these frames
     */
    default Generation generate(List<RgbImage> frames, VideoClip video, String prompt, int maxNewTokens) {
        throw noVideo();
    }

    /**
     * A scorer for a prompt with a video: each image it scores is a canvas of {@code video.frames()}, cut back into the
     * frames, which the prompt receives as one video.
     *
     * @throws InvalidInputException when the model takes no video or refuses these frames
     */
    default TokenScorer scorer(String prompt, String answer, List<Integer> targetIndices, VideoClip video) {
        throw noVideo();
    }

    /** A scorer for the model's own generation on a video (see {@link #scorer(String, String, List, VideoClip)}). */
    default TokenScorer scorer(String prompt, Generation generation, List<Integer> targetIndices, VideoClip video) {
        throw noVideo();
    }

    private InvalidInputException noVideo() {
        return new InvalidInputException("the " + description().backend() + " backend takes no video for model " + description().model());
    }

    private InvalidInputException oneImageOnly(int images) {
        return new InvalidInputException("the " + description().backend() + " backend takes one image per prompt, got " + images);
    }

    /**
     * This model with {@code history} (a system prompt, earlier turns) rendered before every prompt by the chat
     * template: every answer, tokenisation and scorer of the view reads the conversation, and its scorers' tasks carry
     * the history ({@link ScoringTask#history()}), so text regions of {@code messages} mode cover it (docs/text.md). The
     * view shares this model's resources: closing it does not close this model. An empty history gives this model
     * itself; by default only an empty history is taken.
     *
     * @param history the messages before the prompt, in order
     * @throws InvalidInputException when the backend cannot render a conversation, or its chat template cannot render
     *                               this one
     */
    default VisionLanguageModel withHistory(List<PromptMessage> history) {
        if (history.isEmpty()) {
            return this;
        }
        throw InvalidInputException.forInput("history", ": the " + description().backend()
                + " backend takes a single question, not a conversation");
    }

    /** Backend, model and precision, for provenance. */
    ScorerDescription description();

    @Override
    void close();

    /**
     * A greedy answer.
     *
     * @param text   the decoded answer without the end-of-turn token
     * @param tokens the generated tokens, end-of-turn token included when it was generated
     */
    record Generation(String text, List<AnswerToken> tokens) {
        public Generation {
            tokens = List.copyOf(tokens);
        }
    }
}
