package io.github.eagle4j.openai;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.regions.GridSegmenter;

import java.util.List;
import java.util.function.Function;

/** Explanations as {@code eagle explain} runs them, for comparing backends. */
final class Runs {
    static final String PROMPT = "Describe the image.";

    private Runs() {
    }

    static ExplainOptions grid(int rows, int cols, SearchKind search) {
        return ExplainOptions.builder().segmenter(new GridSegmenter(rows, cols)).search(search).build();
    }

    /**
     * Generates the answer when {@code answer} is null, picks targets, binds a scorer and explains: the steps of
     * {@code ExplainCommand}.
     */
    static Explanation explain(VisionLanguageModel vlm, RgbImage image, String answer,
                               Function<List<AnswerToken>, List<Integer>> targets, ExplainOptions options) {
        String text = answer != null ? answer : vlm.generate(image, PROMPT, 24).text();
        List<AnswerToken> tokens = vlm.answerTokens(PROMPT, text);
        try (TokenScorer scorer = vlm.scorer(PROMPT, text, targets.apply(tokens))) {
            return new Explainer(options).explain(image, scorer);
        }
    }

    static Explanation explain(VisionLanguageModel vlm, RgbImage image, ExplainOptions options) {
        return explain(vlm, image, null, TargetSelection::all, options);
    }

    /** The largest difference between two explanations' curves and probabilities. */
    static double maxCurveDifference(Explanation a, Explanation b) {
        double d = 0;
        d = Math.max(d, max(a.curves().insertionCurve(), b.curves().insertionCurve()));
        d = Math.max(d, max(a.curves().deletionCurve(), b.curves().deletionCurve()));
        d = Math.max(d, max(a.metrics().fullImageProbs(), b.metrics().fullImageProbs()));
        d = Math.max(d, max(a.metrics().blankImageProbs(), b.metrics().blankImageProbs()));
        for (int k = 0; k < a.curves().insertionTokenCurves().length; k++) {
            d = Math.max(d, max(a.curves().insertionTokenCurves()[k], b.curves().insertionTokenCurves()[k]));
            d = Math.max(d, max(a.curves().deletionTokenCurves()[k], b.curves().deletionTokenCurves()[k]));
        }
        return d;
    }

    private static double max(double[] a, double[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
