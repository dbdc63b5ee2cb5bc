package io.github.eagle4j;

import io.github.eagle4j.baselines.RegionAttribution;
import io.github.eagle4j.baselines.RegionAttributionMethod;
import io.github.eagle4j.baselines.RegionAttributionMethods;
import io.github.eagle4j.evaluation.Baselines;
import io.github.eagle4j.evaluation.OrderScore;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.metrics.FaithfulnessMetrics;
import io.github.eagle4j.metrics.TokenReliance;
import io.github.eagle4j.search.Objective;
import io.github.eagle4j.search.SearchStep;
import io.github.eagle4j.search.SearchCertificate;
import io.github.eagle4j.search.SearchTrace;

import java.util.ArrayList;
import java.util.List;

/**
 * An explanation whose order comes from a baseline: the baseline ranks the regions, then the order is scored
 * like any other ({@link Baselines#score}: for k = 1..N the insertion and deletion images of the first k regions,
 * 2N images in one call), so curves, AUCs, highest confidence and token reliance mean exactly what they mean for
 * EAGLE. The map is the baseline's raw scores rescaled to [0, 1]; the objective curve is EAGLE's objective along
 * the baseline's order. Cost = the baseline's images + 2N.
 */
final class BaselineExplainer {
    private BaselineExplainer() {
    }

    static Explanation explain(ExplainOptions options, RgbImage image, RegionSet regions, TokenScorer scorer,
                               ProgressListener listener, long startNanos) {
        ScoringTask task = scorer.task();
        int n = regions.regionCount();
        if (n < 2) {
            throw new InvalidInputException("an explanation needs at least 2 regions, got " + n);
        }
        Masker masker = Masker.forScorer(image, regions, options.fill(), scorer);
        RegionAttributionMethod method = RegionAttributionMethods.create(options.method(), options.baselineSamples(),
                options.seed());
        RegionAttribution attribution = method.attribute(masker, scorer, listener);
        OrderScore scored = Baselines.score(method.name(), attribution.order(), masker, scorer,
                options.sensitivityThreshold(), attribution.imagesScored());

        Objective objective = new Objective(options.lambda1(), options.lambda2());
        List<SearchStep> steps = new ArrayList<>(n);
        double[] objectiveCurve = new double[n];
        for (int k = 0; k < n; k++) {
            double[] ins = scored.insertionTokenCurves()[k];
            double[] del = scored.deletionTokenCurves()[k];
            objectiveCurve[k] = objective.value(ins, del);
            steps.add(new SearchStep(scored.order()[k], objectiveCurve[k], ins.clone(), del.clone(),
                    scored.areaCurve()[k], false));
        }
        int calls = attribution.scorerCalls() + 1;
        SearchTrace trace = new SearchTrace(steps, scored.fullImageProbs(), scored.blankImageProbs(),
                scored.forwardPasses(), calls, Exactness.HEURISTIC, false);
        FaithfulnessMetrics metrics = FaithfulnessMetrics.of(trace, options.sensitivityThreshold());
        List<TokenReliance> reliance = TokenReliance.of(trace, task.targets());
        listener.onProgress(n, n, scored.forwardPasses());

        ScorerDescription d = scorer.description();
        Provenance.BaselineRun run = new Provenance.BaselineRun(attribution.settings(), attribution.scores(),
                attribution.imagesScored(), 2L * n);
        Provenance provenance = new Provenance(Provenance.TOOL, Version.get(), d.backend(), d.model(), d.precision(),
                Explainer.segmentation(regions, options.segmenter()), n, regions.unlabelledPixelCount(), image.width(),
                image.height(), null, run, options.sensitivityThreshold(), false, scorer.statistics(),
                options.method() == ExplainMethod.OCCLUSION ? null : options.seed());
        // no step of a baseline's order was searched: the whole order comes from the method's scores
        Ordering ordering = new Ordering(options.method(), null, options.lambda1(), options.lambda2(), options.fill(),
                Exactness.HEURISTIC, d.approximate(), new SearchCertificate(0, 0, method.name(), -1, null));
        Curves curves = new Curves(scored.order(), scored.insertionCurve().clone(), scored.deletionCurve().clone(),
                scored.areaCurve().clone(), objectiveCurve, new boolean[n], copy(scored.insertionTokenCurves()),
                copy(scored.deletionTokenCurves()));
        Metrics m = new Metrics(scored.fullImageProbs().clone(), scored.blankImageProbs().clone(),
                metrics.insertionAuc(), metrics.deletionAuc(), metrics.highestConfidence(), metrics.sensitive(), reliance);
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        return new Explanation(task, regions, curves, m, attribution.normalizedScores(), ordering,
                new Cost(scored.forwardPasses(), calls, elapsedMs), provenance, List.of());
    }

    private static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
