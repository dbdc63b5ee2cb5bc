package io.github.eagle4j;

import io.github.eagle4j.metrics.AttributionMap;
import io.github.eagle4j.metrics.FaithfulnessMetrics;
import io.github.eagle4j.search.Objective;
import io.github.eagle4j.search.RegionSearch;
import io.github.eagle4j.search.SearchTrace;
import io.github.eagle4j.text.KeptSpansScorer;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.SpanSplitter;
import io.github.eagle4j.text.TextExplanation;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextSpan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Explains which prompt spans a model's answer tokens rest on, the image left intact (docs/text.md): divides the
 * prompt into spans on the backend's token boundaries, then orders them with the configured search over the EAGLE
 * objective, a span playing the part of an image region (kept or hidden by {@link TextMask}). The search code is
 * the image search's; only the scorer adapter ({@link KeptSpansScorer}) differs.
 *
 * <pre>{@code
 * TextExplanation e = new TextExplainer(ExplainOptions.defaults(), SpanMode.WORDS, TextMask.PAD).explain(image, scorer);
 * }</pre>
 */
public final class TextExplainer {
    private final ExplainOptions options;
    private final SpanMode mode;
    private final TextMask mask;

    public TextExplainer(ExplainOptions options, SpanMode mode, TextMask mask) {
        this.options = Objects.requireNonNull(options, "options");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.mask = Objects.requireNonNull(mask, "mask");
    }

    /** API name of the prompt in messages ({@link InvalidInputException#input()}). */
    public static final String PROMPT = "prompt";
    /** API name of the span mode. */
    public static final String MODE = "spanMode";
    /** API name of the text mask. */
    public static final String MASK = "textMask";

    /**
     * The spans this explainer would search for {@code scorer}'s conversation (its history and the prompt, {@link
     * ScoringTask#messages()}) and an image of {@code width × height}.
     */
    public List<TextSpan> spans(TokenScorer scorer, int width, int height) {
        String prompt = scorer.task().prompt();
        if (prompt.isBlank()) {
            throw InvalidInputException.forInput(PROMPT, " is empty; text regions need a prompt with text");
        }
        if (!scorer.textMasks().contains(mask)) {
            throw InvalidInputException.forInput(MASK, " " + mask.cliName() + ": backend " + scorer.description().backend()
                    + (scorer.textMasks().isEmpty() ? " cannot mask prompt text"
                    + (scorer.frames().isPresent() ? " with several images or a video" : "") : " can mask prompt text only with "
                    + scorer.textMasks().stream().map(TextMask::cliName).sorted().toList()));
        }
        List<TextSpan> spans = SpanSplitter.split(scorer.task().messages(), scorer.promptTokens(width, height), mode);
        if (spans.isEmpty()) {
            throw InvalidInputException.forInput(MODE, " " + mode.cliName() + ": the prompt '" + prompt + "' has no span of its own tokens");
        }
        return spans;
    }

    /** Explains without progress reports. */
    public TextExplanation explain(RgbImage image, TokenScorer scorer) {
        return explain(image, scorer, ProgressListener.NONE);
    }

    /**
     * Cuts the spans and orders them.
     *
     * @throws InvalidInputException when the prompt is empty, has no span, or the backend cannot do the mask
     */
    public TextExplanation explain(RgbImage image, TokenScorer scorer, ProgressListener listener) {
        long start = System.nanoTime();
        List<TextSpan> spans = spans(scorer, image.width(), image.height());
        Objective objective = Searches.objective(options);
        RegionSearch search = Searches.create(options, objective, scorer.maxBatchSize());
        double[] shares = KeptSpansScorer.tokenShares(spans);
        SearchTrace trace = search.search(new KeptSpansScorer(scorer, image, mask, spans), shares, listener);
        int m = spans.size();
        Curves curves = Curves.of(trace);
        FaithfulnessMetrics metrics = FaithfulnessMetrics.of(trace, options.sensitivityThreshold());
        double[] scores = AttributionMap.regionScores(trace, objective.ofEmptySet(trace.fullImageProbs(), trace.blankImageProbs()));
        ScorerDescription d = scorer.description();
        // the spans play the regions' part: the span mode is the segmentation, M the region count
        Provenance provenance = new Provenance(Provenance.TOOL, Version.get(), d.backend(), d.model(), d.precision(),
                new Segmentation(mode.cliName(), Map.of("textMask", mask.cliName(), "textMasking", scorer.textMasking())), m, 0, image.width(), image.height(),
                search.settings(), null, options.sensitivityThreshold(), false, scorer.statistics(), null);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        return new TextExplanation(scorer.task().prompt(), scorer.task().answer(), scorer.task().targets(), mode, mask, spans,
                trace.order(), curves.insertionCurve(), curves.deletionCurve(), curves.areaCurve(),
                curves.insertionTokenCurves(), curves.deletionTokenCurves(), trace.fullImageProbs().clone(), trace.blankImageProbs().clone(),
                metrics.insertionAuc(), metrics.deletionAuc(), scores, options.search(), trace.imagesScored(), trace.scorerCalls(),
                elapsedMs, trace.exactness(), trace.certificate(), provenance);
    }
}
