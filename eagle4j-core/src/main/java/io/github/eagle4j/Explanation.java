package io.github.eagle4j;

import java.util.List;
import java.util.Objects;

/**
 * The result of one explanation, in parts: what was explained, the regions, the order and its curves, the
 * metrics, the map, how the order was made, what it cost and what produced it. {@code explanation.json} writes
 * the parts' fields flat at its top level (docs/architecture.md, "Result model"); arrays indexed by step run over
 * k = 1..N.
 *
 * @param task         prompt, answer, the answer's tokens and the explained tokens ({@code targets})
 * @param regions      the region partition (written as {@code regions.png}) and the segmentation that made it
 * @param curves       the order and the insertion, deletion, area and objective curves along it
 * @param metrics      AUCs, highest confidence, sensitive-token metrics, full and blank image probabilities,
 *                     token reliance
 * @param regionScores the map: attribution value per region id (1 = most important)
 * @param ordering     EAGLE's search or a baseline, λs, fill, exactness, certificate
 * @param cost         images scored, scorer calls, wall time
 * @param provenance   tool version, backend, model, precision, segmenter and search settings
 * @param perToken     with {@code --each-token}: every target explained on its own; empty otherwise
 */
public record Explanation(ScoringTask task, RegionSet regions, Curves curves, Metrics metrics, double[] regionScores,
                          Ordering ordering, Cost cost, Provenance provenance, List<TokenExplanation> perToken) {
    public Explanation {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(regions, "regions");
        Objects.requireNonNull(curves, "curves");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(ordering, "ordering");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(provenance, "provenance");
        perToken = List.copyOf(perToken);
    }

    /** N, the number of regions. */
    public int regionCount() {
        return curves.order().length;
    }

    /** The explained tokens, as {@code task().targets()}. */
    public List<Target> targets() {
        return task.targets();
    }
}
