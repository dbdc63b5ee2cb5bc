package io.github.eagle4j;

import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.metrics.FaithfulnessMetrics;
import io.github.eagle4j.search.Objective;
import io.github.eagle4j.search.RegionSearch;
import io.github.eagle4j.search.SearchTrace;
import io.github.eagle4j.text.EvidenceSplit;
import io.github.eagle4j.text.ImageShares;
import io.github.eagle4j.text.JointExplanation;
import io.github.eagle4j.text.JointKeptScorer;
import io.github.eagle4j.text.SourceGains;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextSpan;

import java.util.List;
import java.util.Objects;

/**
 * One search over image regions and prompt spans together (docs/text.md, "Joint search"): the EAGLE objective and
 * the configured search, each candidate a region of the image or a span of the prompt, plus each target's evidence
 * split between image, prompt and the language prior ({@link EvidenceSplit}).
 */
public final class JointExplainer {
    private final ExplainOptions options;
    private final SpanMode mode;
    private final TextMask mask;

    public JointExplainer(ExplainOptions options, SpanMode mode, TextMask mask) {
        this.options = Objects.requireNonNull(options, "options");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.mask = Objects.requireNonNull(mask, "mask");
    }

    /**
     * Explains on the image's regions and the prompt's spans.
     *
     * @throws InvalidInputException when the prompt is empty, has no span, or the backend cannot do the mask
     */
    public JointExplanation explain(RgbImage image, RegionSet regions, TokenScorer scorer, ProgressListener listener) {
        long start = System.nanoTime();
        List<TextSpan> spans = new TextExplainer(options, mode, mask).spans(scorer, image.width(), image.height());
        Masker masker = Masker.forScorer(image, regions, options.fill(), scorer);
        JointKeptScorer joint = new JointKeptScorer(scorer, masker, mask, spans);
        Objective objective = Searches.objective(options);
        RegionSearch search = Searches.create(options, objective, scorer.maxBatchSize());
        SearchTrace trace = search.search(joint, joint.candidateShares(), listener);
        int total = joint.regionCount();
        Curves curves = Curves.of(trace);
        FaithfulnessMetrics metrics = FaithfulnessMetrics.of(trace, options.sensitivityThreshold());
        double[][] scores = SourceGains.of(joint, trace.order(), objective);
        // several images or a video's frames: the split says how much rests on each of them, from the same call
        ImageShares shares = scorer.frames().map(f -> ImageShares.measure(scorer, masker, f, spans, mask, options.seed())).orElse(null);
        List<EvidenceSplit> evidence = shares != null ? shares.evidence() : EvidenceSplit.measure(scorer, masker, spans, mask);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        return new JointExplanation(scorer.task().prompt(), scorer.task().answer(), scorer.task().targets(), mask, regions, spans,
                trace.order(), curves.insertionCurve(), curves.deletionCurve(), curves.areaCurve(), metrics.insertionAuc(), metrics.deletionAuc(), scores[0],
                scores[1], evidence, EvidenceSplit.mean(evidence), options.search(),
                trace.imagesScored() + (shares != null ? shares.inputs() : 4) + 2L * (total + 2), elapsedMs, shares);
    }
}
