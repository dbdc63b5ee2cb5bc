package io.github.eagle4j.metrics;

import io.github.eagle4j.Target;
import io.github.eagle4j.search.SearchStep;
import io.github.eagle4j.search.SearchTrace;

import java.util.ArrayList;
import java.util.List;

/**
 * How much one target token owes to the image rather than the language prior (docs/method.md §9).
 *
 * @param index                     the token's position in the answer
 * @param token                     the token's text
 * @param fullImageProb             probability with the intact image
 * @param blankImageProb            probability with every region removed: the language prior alone
 * @param visualReliance            {@code I_t = AUC(curve_t) − min(curve_t)} over the insertion curve
 * @param visualRelianceNormalized  {@code I_t} min–max normalised across the explanation's targets (0 if all equal)
 * @param label                     eagle4j's reading of the token
 */
public record TokenReliance(int index, String token, double fullImageProb, double blankImageProb,
                           double visualReliance, double visualRelianceNormalized, RelianceLabel label) {

    /** {@code I_t} at or above which, with a probability gain of at least {@link #PERCEPTION_GAIN}, a token is perception. */
    public static final double PERCEPTION_RELIANCE = 0.15;
    /**
     * {@code I_t} at or above which a token is perception whatever its blank-image probability: mid-sentence,
     * a teacher-forced prefix can make a token likely on the black image (out of distribution) although
     * partial images move it a lot.
     */
    public static final double STRONG_RELIANCE = 0.3;
    /** Minimum {@code p_full − p_blank} for a perception token. */
    public static final double PERCEPTION_GAIN = 0.2;
    /** {@code I_t} below which a token whose blank-image probability is high is the language prior. */
    public static final double PRIOR_RELIANCE = 0.1;
    /** Blank-image probability at or above which a flat token is the language prior. */
    public static final double PRIOR_BLANK_PROB = 0.5;
    /** A curve whose maximum stays below this never finds support in the image ({@code flat-low}). */
    public static final double FLAT_LOW_MAX = 0.2;

    /** Reliance of every target of a trace, in target order. */
    public static List<TokenReliance> of(SearchTrace trace, List<Target> targets) {
        List<SearchStep> steps = trace.steps();
        double[] areas = steps.stream().mapToDouble(SearchStep::area).toArray();
        int count = targets.size();
        double[] reliance = new double[count];
        double[] curveMax = new double[count];
        for (int t = 0; t < count; t++) {
            double[] curve = new double[steps.size()];
            double max = trace.blankImageProbs()[t];
            for (int k = 0; k < curve.length; k++) {
                curve[k] = steps.get(k).insertionProbs()[t];
                max = Math.max(max, curve[k]);
            }
            reliance[t] = Curve.visualReliance(areas, curve, trace.blankImageProbs()[t]);
            curveMax[t] = max;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double r : reliance) {
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        List<TokenReliance> out = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            double normalized = hi > lo ? (reliance[t] - lo) / (hi - lo) : 0.0;
            double full = trace.fullImageProbs()[t];
            double blank = trace.blankImageProbs()[t];
            out.add(new TokenReliance(targets.get(t).index(), targets.get(t).token(), full, blank, reliance[t],
                    normalized, label(reliance[t], full, blank, curveMax[t])));
        }
        return out;
    }

    /**
     * eagle4j's reading of a token: {@code perception} when revealing the image moves it a lot (I_t at least
     * {@link #STRONG_RELIANCE}, or I_t and the full-vs-blank gain both high); {@code language-prior} when it is already likely on the blank image and
     * the curve is flat; {@code flat-low} when the curve never rises above {@link #FLAT_LOW_MAX}; else {@code mixed}.
     */
    static RelianceLabel label(double reliance, double full, double blank, double curveMax) {
        if (curveMax < FLAT_LOW_MAX) {
            return RelianceLabel.FLAT_LOW;
        }
        if (reliance >= STRONG_RELIANCE || (reliance >= PERCEPTION_RELIANCE && full - blank >= PERCEPTION_GAIN)) {
            return RelianceLabel.PERCEPTION;
        }
        if (blank >= PRIOR_BLANK_PROB && reliance < PRIOR_RELIANCE) {
            return RelianceLabel.LANGUAGE_PRIOR;
        }
        return RelianceLabel.MIXED;
    }
}
