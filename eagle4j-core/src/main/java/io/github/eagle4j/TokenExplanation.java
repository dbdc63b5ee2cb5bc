package io.github.eagle4j;

import io.github.eagle4j.search.SearchCertificate;

/**
 * One answer token explained on its own ({@code --each-token}): its own search over the same regions, sharing
 * scored images with the joint search and the other tokens.
 *
 * @param target         the token (answer index, text, id)
 * @param order          region ids, most important for this token first
 * @param regionScores   this token's attribution value per region id (1 = most important)
 * @param insertionAuc   insertion AUC of this token's probability along its own order
 * @param deletionAuc    deletion AUC of this token's probability along its own order
 * @param exactness      whether this token's order is full greedy's
 * @param imagesAsked    images this token's search asked for (many were already scored for another search)
 * @param certificate    what this token's search verified
 */
public record TokenExplanation(Target target, int[] order, double[] regionScores, double insertionAuc,
                               double deletionAuc, Exactness exactness, long imagesAsked, SearchCertificate certificate) {
}
