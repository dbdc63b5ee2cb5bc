package io.github.eagle4j.metrics;

/**
 * Faithfulness over the sensitive targets only: those whose probability on the intact image exceeds the
 * blank image's by more than the threshold (docs/method.md §8, default 0.2, strict).
 *
 * @param targets           indices into the explanation's targets that are sensitive
 * @param insertionAuc      insertion AUC of the mean over those targets
 * @param deletionAuc       deletion AUC of the mean over those targets
 * @param highestConfidence highest point of that insertion curve
 */
public record SensitiveTokenMetrics(int[] targets, double insertionAuc, double deletionAuc,
                                    double highestConfidence) {
}
