package io.github.eagle4j.evaluation.output;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.video.SampledVideo;
import io.github.eagle4j.report.FrameFiles;
import io.github.eagle4j.JointExplainer;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TextExplainer;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.metrics.PointingGame;
import io.github.eagle4j.report.ExplanationWriter;
import io.github.eagle4j.report.JointRegionsJson;
import io.github.eagle4j.report.TextRegionsJson;
import io.github.eagle4j.text.JointExplanation;
import io.github.eagle4j.text.PromptMessage;
import io.github.eagle4j.text.TextExplanation;
import io.github.eagle4j.text.TextRegionOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One explanation as the commands run it: bind a scorer to the answer and targets, run the explainer,
 * score the pointing game against any ground truth, and write the output files into a folder.
 *
 * @param prompt      the prompt
 * @param answer      the answer to teacher-force
 * @param targets     answer token indices to explain
 * @param groundTruth pointing-game ground truth, or {@code null}
 * @param generation  the model's generation when the answer is its own (then its tokens are teacher-forced as
 *                    generated), or {@code null}
 */
public record ExplanationJob(String prompt, String answer, List<Integer> targets, GroundTruth groundTruth,
                      VisionLanguageModel.Generation generation) {

    /** A job for a given answer text. */
    public ExplanationJob(String prompt, String answer, List<Integer> targets, GroundTruth groundTruth) {
        this(prompt, answer, targets, groundTruth, null);
    }

    /**
     * Per-pixel ground truth of the explained object.
     *
     * @param box  inside the box, or {@code null}
     * @param mask inside the mask, or {@code null}
     */
    public record GroundTruth(boolean[] box, boolean[] mask) {
    }

    /**
     * Runs the explanation and writes its files into {@code dir} (created when missing).
     *
     * @param notes receives a line before and after the search when the backend quotes costs (paid APIs)
     */
    public Explanation run(VisionLanguageModel vlm, RgbImage image, RegionSet regions, ExplainOptions options,
                           ProgressListener progress, Path dir, Consumer<String> notes) throws IOException {
        return run(vlm, image, regions, options, progress, dir, notes, null);
    }

    /**
     * As {@link #run(VisionLanguageModel, RgbImage, RegionSet, ExplainOptions, ProgressListener, Path, Consumer)}, and
     * with {@code text} also orders the prompt's spans with the image intact (docs/text.md), written beside the image
     * fields of {@code explanation.json}. The spans are checked before the image search, so a backend that cannot
     * mask text fails before any work.
     *
     * @param text how to divide and mask the prompt, or {@code null} for no text regions
     */
    public Explanation run(VisionLanguageModel vlm, RgbImage image, RegionSet regions, ExplainOptions options,
                           ProgressListener progress, Path dir, Consumer<String> notes, TextRegionOptions text) throws IOException {
        return runAll(vlm, image, regions, options, progress, dir, notes, text).image();
    }

    /**
     * The explanations of one run: the image explanation, and with text regions the text-only and joint ones.
     *
     * @param image the image explanation
     * @param text  the text-only explanation, or {@code null}
     * @param joint the joint explanation, or {@code null}
     */
    public record Outcome(Explanation image, TextExplanation text, JointExplanation joint) {
    }

    /**
     * As {@link #run(VisionLanguageModel, RgbImage, RegionSet, ExplainOptions, ProgressListener, Path, Consumer,
     * TextRegionOptions)}, returning the text and joint explanations too (for summaries).
     */
    public Outcome runAll(VisionLanguageModel vlm, RgbImage image, RegionSet regions, ExplainOptions options,
                          ProgressListener progress, Path dir, Consumer<String> notes, TextRegionOptions text) throws IOException {
        Explanation e;
        TextExplanation te = null;
        JointExplanation je = null;
        try (TokenScorer scorer = generation != null ? vlm.scorer(prompt, generation, targets) : vlm.scorer(prompt, answer, targets)) {
            TextExplainer textExplainer = text == null ? null : new TextExplainer(options, text.mode(), text.mask());
            if (textExplainer != null) {
                textExplainer.spans(scorer, image.width(), image.height());
            }
            noteCostBefore(scorer, options, regions, notes);
            e = new Explainer(options).explain(image, regions, scorer, progress);
            if (textExplainer != null) {
                te = textExplainer.explain(image, scorer);
                if (text.joint()) {
                    je = new JointExplainer(options, text.mode(), text.mask()).explain(image, regions, scorer, ProgressListener.NONE);
                }
            }
            noteCostSpent(scorer, notes);
        }
        write(e, image, dir, te, je);
        return new Outcome(e, te, je);
    }

    /** Explains with {@code scorer}, closed afterwards, telling {@code notes} what the run may cost and what it cost. */
    private static Explanation explainCosted(TokenScorer scorer, RgbImage canvas, RegionSet regions, ExplainOptions options,
                                             ProgressListener progress, Consumer<String> notes) {
        try (scorer) {
            noteCostBefore(scorer, options, regions, notes);
            Explanation e = new Explainer(options).explain(canvas, regions, scorer, progress);
            noteCostSpent(scorer, notes);
            return e;
        }
    }

    /** For scorers that cost money: the most the search can cost, before it runs. */
    private static void noteCostBefore(TokenScorer scorer, ExplainOptions options, RegionSet regions, Consumer<String> notes) {
        long budget = ImageBudget.upperBound(options, regions.regionCount());
        scorer.costEstimate(budget).ifPresent(c -> notes.accept("cost before the run (at most " + budget + " images): " + c));
    }

    private static void noteCostSpent(TokenScorer scorer, Consumer<String> notes) {
        scorer.costSpent().ifPresent(c -> notes.accept("cost of the run: " + c));
    }

    /**
     * Writes the files of an explanation made elsewhere (e.g. by a diagnosis), with this job's pointing game, into
     * {@code dir} (created when missing): explanation.json, regions.png, image.png, overlay.png, attribution.png,
     * curves.png and report.html.
     */
    public void write(Explanation e, RgbImage image, Path dir) {
        write(e, image, dir, null, null);
    }

    /**
     * As {@link #write(Explanation, RgbImage, Path)}, with the text-region fields of {@code text} and the joint-search
     * fields of {@code joint} when not null.
     */
    public void write(Explanation e, RgbImage image, Path dir, TextExplanation text, JointExplanation joint) {
        Folders.create(dir);
        ExplanationWriter.write(e, image, dir, fields(e, text, joint));
    }

    /**
     * The fields of {@code explanation.json} beside the explanation's own: the pointing game (with ground truth), the
     * conversation (with one), and the text-region and joint-search fields of {@code text} and {@code joint} when not
     * null.
     */
    public Map<String, Object> fields(Explanation e, TextExplanation text, JointExplanation joint) {
        Map<String, Object> extra = commonFields(e);
        if (text != null) {
            extra.putAll(TextRegionsJson.fields(text));
        }
        if (joint != null) {
            extra.putAll(JointRegionsJson.fields(joint));
        }
        return extra;
    }

    /** The field of {@code explanation.json} that lists a conversation's messages, the question last. */
    public static final String CONVERSATION = "conversation";

    /** The messages as {@code {role, text}} objects, in order; the text regions' {@code message} indexes into them. */
    static List<Map<String, Object>> conversation(List<PromptMessage> messages) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (PromptMessage m : messages) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("role", m.role().jsonName());
            o.put("text", m.text());
            out.add(o);
        }
        return out;
    }

    /**
     * Runs the explanation of a prompt with several images (docs/frames.md): {@code canvas} is the images side by side
     * ({@link FrameLayout#compose}), the scorer cuts each masked canvas back into them; writes the canvas-wide files,
     * the per-image files and the {@code frames} field of {@code explanation.json}.
     */
    public Explanation run(VisionLanguageModel vlm, FrameLayout frames, RgbImage canvas, RegionSet regions,
                           ExplainOptions options, ProgressListener progress, Path dir, Consumer<String> notes) {
        return runAll(vlm, frames, canvas, regions, options, progress, dir, notes, null).image();
    }

    /**
     * As {@link #run(VisionLanguageModel, FrameLayout, RgbImage, RegionSet, ExplainOptions, ProgressListener, Path,
     * Consumer)}, and with {@code text} also the text-only and joint searches on the canvas (docs/text.md, "Several
     * images and video"), written beside the frame fields of {@code explanation.json}.
     *
     * @param text how to divide and mask the prompt, or {@code null} for no text regions
     */
    public Outcome runAll(VisionLanguageModel vlm, FrameLayout frames, RgbImage canvas, RegionSet regions, ExplainOptions options,
                          ProgressListener progress, Path dir, Consumer<String> notes, TextRegionOptions text) {
        Explanation e;
        TextExplanation te = null;
        JointExplanation je = null;
        try (TokenScorer scorer = generation != null ? vlm.scorer(prompt, generation, targets, frames)
                : vlm.scorer(prompt, answer, targets, frames)) {
            TextExplainer textExplainer = text == null ? null : new TextExplainer(options, text.mode(), text.mask());
            if (textExplainer != null) {
                textExplainer.spans(scorer, canvas.width(), canvas.height());
            }
            noteCostBefore(scorer, options, regions, notes);
            e = new Explainer(options).explain(canvas, regions, scorer, progress);
            if (textExplainer != null) {
                te = textExplainer.explain(canvas, scorer);
                if (text.joint()) {
                    je = new JointExplainer(options, text.mode(), text.mask()).explain(canvas, regions, scorer, ProgressListener.NONE);
                }
            }
            noteCostSpent(scorer, notes);
        }
        write(e, canvas, frames, null, dir, te, je);
        return new Outcome(e, te, je);
    }

    /**
     * Runs the explanation of a prompt with a video (docs/frames.md): {@code canvas} is the video's sampled frames side
     * by side, the scorer cuts each masked canvas back into them and the model receives them as one video; writes the
     * files of {@link #write(Explanation, RgbImage, SampledVideo, Path)}.
     */
    public Explanation run(VisionLanguageModel vlm, SampledVideo video, RgbImage canvas, RegionSet regions,
                           ExplainOptions options, ProgressListener progress, Path dir, Consumer<String> notes) {
        Explanation e = explainCosted(generation != null ? vlm.scorer(prompt, generation, targets, video.clip())
                : vlm.scorer(prompt, answer, targets, video.clip()), canvas, regions, options, progress, notes);
        write(e, canvas, video, dir);
        return e;
    }

    /**
     * As {@link #write(Explanation, RgbImage, FrameLayout, Path)} for a video's sampled frames: each frame of the
     * {@code frames} field also has its {@code timestamp} and {@code sourceIndex}, and {@code frames.video} says where
     * the frames came from.
     */
    public void write(Explanation e, RgbImage canvas, SampledVideo video, Path dir) {
        write(e, canvas, video.clip().frames(), video, dir);
    }

    /**
     * As {@link #write(Explanation, RgbImage, Path)} for a canvas of several images: also {@code regions/frame-K.png},
     * {@code frames/overlay-K.png} and the {@code frames} field (docs/frames.md).
     */
    public void write(Explanation e, RgbImage canvas, FrameLayout frames, Path dir) {
        write(e, canvas, frames, null, dir, null, null);
    }

    private void write(Explanation e, RgbImage canvas, FrameLayout frames, SampledVideo video, Path dir) {
        write(e, canvas, frames, video, dir, null, null);
    }

    private void write(Explanation e, RgbImage canvas, FrameLayout frames, SampledVideo video, Path dir, TextExplanation text,
                       JointExplanation joint) {
        Folders.create(dir);
        Map<String, Object> extra = fields(e, text, joint);
        String caption = String.join(" ", e.targets().stream().map(t -> t.token().strip()).toList());
        Map<String, Object> framesField = FrameFiles.write(e, frames, canvas, dir, caption);
        if (video != null) {
            VideoFields.addTo(framesField, video);
        }
        extra.put("frames", framesField);
        ExplanationWriter.write(e, canvas, dir, extra);
    }

    /** The fields every explanation.json of a job gets: the pointing game (with ground truth) and the conversation (with one). */
    private Map<String, Object> commonFields(Explanation e) {
        Map<String, Object> extra = new LinkedHashMap<>();
        Map<String, Boolean> pg = pointingGame(e);
        if (!pg.isEmpty()) {
            extra.put("pointingGame", pg);
        }
        if (!e.task().history().isEmpty()) {
            extra.put(CONVERSATION, conversation(e.task().messages()));
        }
        return extra;
    }

    /** Pointing-game hits ({@code box}, {@code mask}) against the ground truth given; empty without any. */
    public Map<String, Boolean> pointingGame(Explanation e) {
        if (groundTruth == null) {
            return new LinkedHashMap<>();
        }
        return PointingGame.hits(e.regions(), e.regionScores(), groundTruth.box, groundTruth.mask);
    }

    /** A few lines for the terminal. */
    public static String summary(Explanation e, Path out) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "answer: %s%n", e.task().answer()));
        sb.append("targets:");
        e.targets().forEach(t -> sb.append(' ').append(t.index()).append(':').append(io.github.eagle4j.report.ExplanationReport.displayToken(t.token()).strip()));
        // a baseline has no search: name what ordered the regions
        sb.append(String.format(Locale.ROOT, "%nregions: %d, %s: %s, images scored: %d, %.1f s%n",
                e.regionCount(), e.ordering().search() != null ? "search" : "method", e.ordering().orderedBy(), e.cost().forwardPasses(),
                e.cost().elapsedMs() / 1000.0));
        sb.append(String.format(Locale.ROOT, "insertion AUC %.4f, deletion AUC %.4f, highest confidence %.4f%n",
                e.metrics().insertionAuc(), e.metrics().deletionAuc(), e.metrics().highestConfidence()));
        sb.append("wrote ").append(out);
        return sb.toString();
    }
}
