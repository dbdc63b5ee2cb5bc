package io.github.eagle4j.evaluation;

import io.github.eagle4j.metrics.SensitiveTokenMetrics;

/**
 * A region order scored like EAGLE's own curves (docs/method.md §8): for k = 1..N, the insertion image keeps the
 * first k regions of the order and the deletion image removes them; the area axis is the first k regions'
 * cumulative share of the image's pixels.
 *
 * @param method               e.g. {@code random} or {@code occlusion}
 * @param order                region ids, most important first
 * @param areaCurve            cumulative area of the first k regions
 * @param insertionCurve       mean target probability with only the first k regions kept
 * @param deletionCurve        mean target probability with the first k regions removed
 * @param insertionTokenCurves {@code [k][target]}
 * @param deletionTokenCurves  {@code [k][target]}
 * @param fullImageProbs       per target, the intact image (the insertion image at k = N)
 * @param blankImageProbs      per target, every region removed (the deletion image at k = N)
 * @param insertionAuc         AUC of the insertion curve with the blank point prepended
 * @param deletionAuc          AUC of the deletion curve with the full point prepended
 * @param highestConfidence    maximum of the insertion curve, blank point included
 * @param sensitive            the same over sensitive targets, or {@code null} when none is
 * @param regionScores         the order's rank map: rank 1 gets 1, rank N gets 0, linearly in between
 * @param forwardPasses        images scored to build the order and its curves
 */
public record OrderScore(String method, int[] order, double[] areaCurve, double[] insertionCurve,
                         double[] deletionCurve, double[][] insertionTokenCurves, double[][] deletionTokenCurves,
                         double[] fullImageProbs, double[] blankImageProbs, double insertionAuc, double deletionAuc,
                         double highestConfidence, SensitiveTokenMetrics sensitive, double[] regionScores,
                         long forwardPasses) {
}
