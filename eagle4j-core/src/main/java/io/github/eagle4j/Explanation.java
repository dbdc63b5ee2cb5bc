package io.github.eagle4j;

import io.github.eagle4j.metrics.SensitiveTokenMetrics;
import io.github.eagle4j.metrics.TokenReliance;
import io.github.eagle4j.search.SearchCertificate;

import java.util.List;
import java.util.Map;

/**
 * The result of one explanation: the region order, the curves along it, the metrics and the map. Field
 * names follow the {@code explanation.json} contract (docs/architecture.md); arrays indexed by step run over
 * k = 1..N.
 *
 * @param prompt                the prompt
 * @param answer                the teacher-forced answer
 * @param answerTokens          the answer's tokens
 * @param targets               the explained tokens
 * @param regions               the region partition (written as {@code regions.png})
 * @param order                 region ids, most important first
 * @param insertionCurve        mean target probability with only the first k regions kept
 * @param deletionCurve         mean target probability with the first k regions removed
 * @param areaCurve             fraction of the image's pixels in the first k regions
 * @param objectiveCurve        F of the first k regions
 * @param interpolated          per step, whether the point was interpolated (early stop) rather than scored
 * @param insertionTokenCurves  {@code [k][target]}
 * @param deletionTokenCurves   {@code [k][target]}
 * @param fullImageProbs        per target, the intact image
 * @param blankImageProbs       per target, every region removed
 * @param insertionAuc          insertion AUC, authors' evaluation (higher = more faithful)
 * @param deletionAuc           deletion AUC (lower = more faithful)
 * @param highestConfidence     maximum of the insertion curve, blank point included
 * @param sensitive             metrics over sensitive targets, or {@code null} when none is sensitive
 * @param regionScores          attribution value per region id (1 = most important)
 * @param tokenReliance         per target, image versus language prior
 * @param search                search used; {@code null} when a baseline ordered the regions ({@link #method()})
 * @param lambda1               λ1 used
 * @param lambda2               λ2 used
 * @param fill                  fill used
 * @param forwardPasses         images scored (with {@code --each-token}: by every search together, each image once)
 * @param scorerCalls           batches sent to the scorer
 * @param elapsedMs             wall time of segmentation, search and metrics
 * @param exactness             {@code exact}, {@code exact-if-submodular} or {@code heuristic}
 * @param approximate           true when curves contain interpolated points or the scorer is approximate
 * @param provenance            tool version, backend, model, precision, segmenter and search settings
 * @param certificate           steps verified and searched, how the rest was ordered, budget, sampled re-check
 * @param perToken              with {@code --each-token}: every target explained on its own; empty otherwise
 */
public record Explanation(String prompt, String answer, List<String> answerTokens, List<Target> targets,
                          RegionSet regions, int[] order, double[] insertionCurve, double[] deletionCurve,
                          double[] areaCurve, double[] objectiveCurve, boolean[] interpolated,
                          double[][] insertionTokenCurves, double[][] deletionTokenCurves,
                          double[] fullImageProbs, double[] blankImageProbs,
                          double insertionAuc, double deletionAuc, double highestConfidence,
                          SensitiveTokenMetrics sensitive, double[] regionScores, List<TokenReliance> tokenReliance,
                          SearchKind search, double lambda1, double lambda2, Fill fill,
                          long forwardPasses, int scorerCalls, long elapsedMs, String exactness, boolean approximate,
                          Map<String, Object> provenance, SearchCertificate certificate,
                          List<TokenExplanation> perToken) {
    public Explanation {
        perToken = List.copyOf(perToken);
    }

    /** N, the number of regions. */
    public int regionCount() {
        return order.length;
    }

    /** What ordered the regions: {@code eagle} or a baseline's name (provenance {@code method}). */
    public String method() {
        Object m = provenance.get("method");
        return m == null ? ExplainMethod.EAGLE.cliName() : m.toString();
    }

    /** For one-line summaries: the search's name for EAGLE ({@code full}, ...), else the baseline's name. */
    public String orderedBy() {
        return search != null ? search.cliName() : method();
    }
}
