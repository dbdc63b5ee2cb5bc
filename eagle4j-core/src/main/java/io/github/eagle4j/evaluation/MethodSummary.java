package io.github.eagle4j.evaluation;

import java.util.List;

/**
 * Means of one method's metrics over the items of an evaluation (docs/method.md §8: per item, then averaged).
 * Items without sensitive targets are left out of the sensitive-token means, items without a box (mask) out of
 * the box (mask) pointing game, as the authors' scripts do. Sums run in list order, so the same items in the
 * same order always give the same bits (sharded and merged runs sort by manifest index first).
 *
 * @param items                      items averaged
 * @param insertionAuc               mean insertion AUC (NaN without items)
 * @param deletionAuc                mean deletion AUC
 * @param highestConfidence          mean highest confidence
 * @param sensitiveItems             items with at least one sensitive target
 * @param sensitiveInsertionAuc      mean over those (NaN when none)
 * @param sensitiveDeletionAuc       mean over those
 * @param sensitiveHighestConfidence mean over those
 * @param boxItems                   items with a ground-truth box
 * @param boxHits                    of those, pointing-game hits
 * @param maskItems                  items with a ground-truth mask
 * @param maskHits                   of those, pointing-game hits
 * @param forwardPasses              images scored over all items
 */
public record MethodSummary(int items, double insertionAuc, double deletionAuc, double highestConfidence,
                            int sensitiveItems, double sensitiveInsertionAuc, double sensitiveDeletionAuc,
                            double sensitiveHighestConfidence, int boxItems, int boxHits, int maskItems, int maskHits,
                            long forwardPasses) {

    /** The summary of the items, in list order. */
    public static MethodSummary of(List<ItemScores> scores) {
        double ins = 0;
        double del = 0;
        double high = 0;
        int sensitive = 0;
        double sIns = 0;
        double sDel = 0;
        double sHigh = 0;
        int box = 0;
        int boxHits = 0;
        int mask = 0;
        int maskHits = 0;
        long passes = 0;
        for (ItemScores s : scores) {
            ins += s.insertionAuc();
            del += s.deletionAuc();
            high += s.highestConfidence();
            if (s.hasSensitive()) {
                sensitive++;
                sIns += s.sensitiveInsertionAuc();
                sDel += s.sensitiveDeletionAuc();
                sHigh += s.sensitiveHighestConfidence();
            }
            if (s.pointingBox() != null) {
                box++;
                boxHits += s.pointingBox() ? 1 : 0;
            }
            if (s.pointingMask() != null) {
                mask++;
                maskHits += s.pointingMask() ? 1 : 0;
            }
            passes += s.forwardPasses();
        }
        int n = scores.size();
        return new MethodSummary(n, div(ins, n), div(del, n), div(high, n), sensitive, div(sIns, sensitive),
                div(sDel, sensitive), div(sHigh, sensitive), box, boxHits, mask, maskHits, passes);
    }

    /** Pointing-game hit rate against boxes (NaN without boxes). */
    public double pointingBox() {
        return div(boxHits, boxItems);
    }

    /** Pointing-game hit rate against masks (NaN without masks). */
    public double pointingMask() {
        return div(maskHits, maskItems);
    }

    private static double div(double sum, int n) {
        return n == 0 ? Double.NaN : sum / n;
    }
}
