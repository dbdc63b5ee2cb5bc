package io.github.eagle4j.diagnosis;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.masking.Masker;

import java.util.List;
import java.util.Objects;

/**
 * Hallucination diagnosis (docs/method.md §10) against any {@link VisionLanguageModel}:
 * <ol>
 *   <li>the model answers the question on the intact image (greedy); the answer is hallucinated when it does
 *       not start with the label word (case-sensitive);</li>
 *   <li>the correct answer's token is explained: the label word is teacher-forced as the answer and its token at
 *       position 0 is the target, so the regions ranked last are those whose presence most suppresses the
 *       correct answer;</li>
 *   <li>for a hallucinated answer, the answer is re-generated for every k = 1..N with only the first k regions
 *       kept, and {@link CorrectionScan} finds the smallest removed tail that corrects it.</li>
 * </ol>
 *
 * <pre>{@code
 * Diagnosis d = new Diagnoser(ExplainOptions.defaults(), 8, 4)
 *         .diagnose(model, image, regions, "Is there a red circle?", "no", ProgressListener.NONE, ProgressListener.NONE);
 * if (d.hallucinated()) System.out.println("mcr " + d.correction().mcr());
 * }</pre>
 *
 * Thread-safe: a diagnoser holds only immutable settings.
 */
public final class Diagnoser {
    /** Longest re-generated answer by default: yes/no answers of the tiny model are one word and the end token. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 8;
    /** The API name of the label word in the messages of {@link InvalidInputException}. */
    public static final String LABEL_WORD = "labelWord";

    private final ExplainOptions options;
    private final int maxNewTokens;
    private final int parallelism;
    /** The images each diagnosed image is a canvas of, or null for one image. */
    private final FrameLayout frames;
    /** The video those images are the sampled frames of, or null for images. */
    private final VideoClip video;

    /**
     * @param options      explanation settings (the paper: full greedy, 64 regions, λ1 = λ2 = 1, black fill)
     * @param maxNewTokens longest generated answer (the authors use 128; a few tokens suffice for yes/no)
     * @param parallelism  re-generations run side by side (1 = sequential); needs a thread-safe model
     */
    public Diagnoser(ExplainOptions options, int maxNewTokens, int parallelism) {
        this(options, maxNewTokens, parallelism, null, null);
    }

    private Diagnoser(ExplainOptions options, int maxNewTokens, int parallelism, FrameLayout frames, VideoClip video) {
        this.frames = frames;
        this.video = video;
        this.options = Objects.requireNonNull(options, "options");
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be ≥ 1, got " + maxNewTokens);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be ≥ 1, got " + parallelism);
        }
        this.maxNewTokens = maxNewTokens;
        this.parallelism = parallelism;
    }

    /**
     * This diagnoser for a prompt with several images (docs/frames.md): the image it diagnoses is a canvas of
     * {@code frames} ({@link FrameLayout#compose}); the model answers, is scored and re-answers on
     * the images cut from it, in order, and removed regions are filled in their own image.
     */
    public Diagnoser forFrames(FrameLayout frames) {
        return new Diagnoser(options, maxNewTokens, parallelism, frames.count() > 1 ? frames : null, null);
    }

    /**
     * This diagnoser for a prompt with a video (docs/frames.md): the image it diagnoses is a canvas of the video's
     * sampled frames ({@code video.frames()}); the model answers, is scored and re-answers on the frames cut from it,
     * received as one video, and removed regions are filled in their own frame.
     */
    public Diagnoser forVideo(VideoClip video) {
        return new Diagnoser(options, maxNewTokens, parallelism, video.frames(), video);
    }

    public ExplainOptions options() {
        return options;
    }

    public int maxNewTokens() {
        return maxNewTokens;
    }

    /**
     * Diagnoses the model's answer to {@code prompt} on {@code image}.
     *
     * @param labelWord          the correct answer as the model spells it (prefix test, case-sensitive)
     * @param explainProgress    progress of the explanation's search
     * @param generationProgress progress of the re-generations (answers done of N)
     * @throws InvalidInputException when the label word is blank or tokenises to nothing
     */
    public Diagnosis diagnose(VisionLanguageModel model, RgbImage image, RegionSet regions, String prompt,
                              String labelWord, ProgressListener explainProgress, ProgressListener generationProgress) {
        long start = System.nanoTime();
        String answer = (video != null ? model.generate(video.frames().split(image), video, prompt, maxNewTokens)
                : frames == null ? model.generate(image, prompt, maxNewTokens)
                : model.generate(frames.split(image), prompt, maxNewTokens)).text();
        return diagnose(model, image, regions, prompt, labelWord, answer, explainProgress, generationProgress, start);
    }

    /**
     * Like {@link #diagnose(VisionLanguageModel, RgbImage, RegionSet, String, String, ProgressListener, ProgressListener)}
     * with the model's answer already known (it must be the greedy answer with this diagnoser's token limit).
     */
    public Diagnosis diagnose(VisionLanguageModel model, RgbImage image, RegionSet regions, String prompt,
                              String labelWord, String modelAnswer, ProgressListener explainProgress,
                              ProgressListener generationProgress) {
        return diagnose(model, image, regions, prompt, labelWord, modelAnswer, explainProgress, generationProgress,
                System.nanoTime());
    }

    private Diagnosis diagnose(VisionLanguageModel model, RgbImage image, RegionSet regions, String prompt,
                               String labelWord, String modelAnswer, ProgressListener explainProgress,
                               ProgressListener generationProgress, long start) {
        if (labelWord == null || labelWord.isBlank()) {
            throw InvalidInputException.forInput(LABEL_WORD, " is empty");
        }
        String label = labelWord.strip();
        if (model.answerTokens(prompt, label).isEmpty()) {
            throw InvalidInputException.forInput(LABEL_WORD, " '" + label + "' tokenises to nothing");
        }
        boolean hallucinated = !CorrectionScan.startsWithLabel(modelAnswer, label);
        Explanation e;
        try (TokenScorer scorer = video != null ? model.scorer(prompt, label, List.of(0), video)
                : frames == null ? model.scorer(prompt, label, List.of(0))
                : model.scorer(prompt, label, List.of(0), frames)) {
            e = new Explainer(options).explain(image, regions, scorer, explainProgress);
        }
        List<String> revised = List.of();
        Correction correction = null;
        if (hallucinated) {
            Masker masker = frames == null ? new Masker(image, regions, options.fill())
                    : new Masker(image, regions, options.fill(), frames);
            revised = RevisedAnswers.generate(model, masker, video, e.curves().order(), prompt, maxNewTokens, parallelism,
                    generationProgress);
            correction = CorrectionScan.scan(label, revised, e.curves().areaCurve(), e.curves().order());
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        return new Diagnosis(label, modelAnswer, hallucinated, e, revised, correction, 1 + revised.size(), elapsedMs);
    }
}
