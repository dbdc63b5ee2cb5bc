package io.github.eagle4j.evaluation;

/**
 * One method's metrics on one evaluated item: what a data-set summary averages.
 *
 * @param insertionAuc              insertion AUC (higher = more faithful)
 * @param deletionAuc               deletion AUC (lower = more faithful)
 * @param highestConfidence         highest point of the insertion curve
 * @param sensitiveInsertionAuc     over sensitive targets, or {@code null} when the item has none
 * @param sensitiveDeletionAuc      over sensitive targets, or {@code null}
 * @param sensitiveHighestConfidence over sensitive targets, or {@code null}
 * @param pointingBox               pointing-game hit against the item's box, or {@code null} without a box
 * @param pointingMask              pointing-game hit against the item's mask, or {@code null} without a mask
 * @param forwardPasses             images scored for this method on this item
 */
public record ItemScores(double insertionAuc, double deletionAuc, double highestConfidence,
                         Double sensitiveInsertionAuc, Double sensitiveDeletionAuc, Double sensitiveHighestConfidence,
                         Boolean pointingBox, Boolean pointingMask, long forwardPasses) {

    /** True when the item had sensitive targets. */
    public boolean hasSensitive() {
        return sensitiveInsertionAuc != null;
    }
}
