package io.github.eagle4j;

import io.github.eagle4j.metrics.SensitiveTokenMetrics;
import io.github.eagle4j.metrics.TokenReliance;

import java.util.List;

/**
 * The numbers computed from an explanation's curves (docs/method.md §8, §9). Field names are those of
 * {@code explanation.json} ({@code sensitive} is written as {@code sensitiveTokens}).
 *
 * @param fullImageProbs    per target, the intact image
 * @param blankImageProbs   per target, every region removed
 * @param insertionAuc      insertion AUC, authors' evaluation (higher = more faithful)
 * @param deletionAuc       deletion AUC (lower = more faithful)
 * @param highestConfidence maximum of the insertion curve, blank point included
 * @param sensitive         metrics over sensitive targets, or {@code null} when none is sensitive
 * @param tokenReliance     per target, image versus language prior
 */
public record Metrics(double[] fullImageProbs, double[] blankImageProbs, double insertionAuc, double deletionAuc,
                      double highestConfidence, SensitiveTokenMetrics sensitive, List<TokenReliance> tokenReliance) {
    public Metrics {
        tokenReliance = List.copyOf(tokenReliance);
    }
}
