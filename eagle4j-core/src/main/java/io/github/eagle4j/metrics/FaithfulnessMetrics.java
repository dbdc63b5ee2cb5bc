package io.github.eagle4j.metrics;

import io.github.eagle4j.search.SearchStep;
import io.github.eagle4j.search.SearchTrace;

import java.util.ArrayList;
import java.util.List;

/**
 * Insertion/deletion AUC and highest confidence of one explanation, over all targets and over the
 * sensitive targets only (docs/method.md §8).
 *
 * @param insertionAuc      AUC of the mean insertion curve (higher is better)
 * @param deletionAuc       AUC of the mean deletion curve (lower is better)
 * @param highestConfidence maximum of the mean insertion curve, blank point included
 * @param sensitive         the same three over sensitive targets, or {@code null} when no target is sensitive
 */
public record FaithfulnessMetrics(double insertionAuc, double deletionAuc, double highestConfidence,
                                  SensitiveTokenMetrics sensitive) {

    /** The authors' sensitivity threshold: a target is sensitive when {@code full − blank > 0.2}. */
    public static final double DEFAULT_SENSITIVITY = 0.2;

    /** Computes the metrics of a search trace. */
    public static FaithfulnessMetrics of(SearchTrace trace, double sensitivityThreshold) {
        List<SearchStep> steps = trace.steps();
        int targets = trace.fullImageProbs().length;
        List<Integer> all = new ArrayList<>();
        List<Integer> sensitiveIdx = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            all.add(t);
            if (trace.fullImageProbs()[t] - trace.blankImageProbs()[t] > sensitivityThreshold) {
                sensitiveIdx.add(t);
            }
        }
        double[] areas = steps.stream().mapToDouble(SearchStep::area).toArray();
        Summary overall = summarize(trace, areas, all);
        SensitiveTokenMetrics sensitive = null;
        if (!sensitiveIdx.isEmpty()) {
            Summary s = summarize(trace, areas, sensitiveIdx);
            sensitive = new SensitiveTokenMetrics(sensitiveIdx.stream().mapToInt(Integer::intValue).toArray(),
                    s.insertionAuc, s.deletionAuc, s.highest);
        }
        return new FaithfulnessMetrics(overall.insertionAuc, overall.deletionAuc, overall.highest, sensitive);
    }

    private record Summary(double insertionAuc, double deletionAuc, double highest) {
    }

    private static Summary summarize(SearchTrace trace, double[] areas, List<Integer> targets) {
        List<SearchStep> steps = trace.steps();
        double[] ins = new double[steps.size()];
        double[] del = new double[steps.size()];
        for (int k = 0; k < steps.size(); k++) {
            ins[k] = meanOver(steps.get(k).insertionProbs(), targets);
            del[k] = meanOver(steps.get(k).deletionProbs(), targets);
        }
        double blank = meanOver(trace.blankImageProbs(), targets);
        double full = meanOver(trace.fullImageProbs(), targets);
        return new Summary(Curve.insertionAuc(areas, ins, blank), Curve.deletionAuc(areas, del, full),
                Curve.highestConfidence(ins, blank));
    }

    private static double meanOver(double[] values, List<Integer> idx) {
        double s = 0;
        for (int i : idx) {
            s += values[i];
        }
        return s / idx.size();
    }
}
