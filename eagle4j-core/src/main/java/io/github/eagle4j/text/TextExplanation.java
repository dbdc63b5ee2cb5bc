package io.github.eagle4j.text;

import io.github.eagle4j.Exactness;
import io.github.eagle4j.Provenance;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.Target;
import io.github.eagle4j.search.SearchCertificate;

import java.util.List;

/**
 * Which prompt spans the targets rest on, the image left intact (docs/text.md): the spans, their order by the EAGLE
 * objective and the curves along it. Arrays indexed by step are over k = 1..M spans.
 *
 * @param prompt                the prompt
 * @param answer                the answer
 * @param targets               the explained answer tokens
 * @param mode                  how the prompt was divided
 * @param mask                  how removed spans were hidden
 * @param spans                 the spans, by id
 * @param order                 span ids, most important first
 * @param insertionCurve        mean target probability with only the first k spans kept
 * @param deletionCurve         mean target probability with the first k spans removed
 * @param tokenShareCurve       share of the spans' tokens in the first k spans (the curves' x axis)
 * @param insertionTokenCurves  the insertion curve per target, {@code [k][target]}
 * @param deletionTokenCurves   the deletion curve per target, {@code [k][target]}
 * @param fullPromptProbs       per target, every span kept
 * @param emptyPromptProbs      per target, every span removed
 * @param insertionAuc          area under the insertion curve over token shares (higher is better)
 * @param deletionAuc           area under the deletion curve (lower is better)
 * @param spanScores            attribution per span id (docs/method.md §8's map values, over spans)
 * @param search                the search that ordered the spans
 * @param forwardPasses         model inputs scored
 * @param scorerCalls           batches sent to the scorer
 * @param elapsedMs             wall time
 * @param exactness             as for image searches
 * @param certificate           what the search verified
 * @param provenance            backend, model, image size and search settings; its segmentation is the span mode
 *                              ({@code segmenter} {@code words}, {@code sentences} or {@code messages}, settings
 *                              {@code textMask}) and its region count the span count
 */
public record TextExplanation(String prompt, String answer, List<Target> targets, SpanMode mode, TextMask mask,
                              List<TextSpan> spans, int[] order, double[] insertionCurve, double[] deletionCurve,
                              double[] tokenShareCurve, double[][] insertionTokenCurves, double[][] deletionTokenCurves,
                              double[] fullPromptProbs, double[] emptyPromptProbs, double insertionAuc, double deletionAuc,
                              double[] spanScores, SearchKind search, long forwardPasses, int scorerCalls, long elapsedMs,
                              Exactness exactness, SearchCertificate certificate, Provenance provenance) {
    public TextExplanation {
        targets = List.copyOf(targets);
        spans = List.copyOf(spans);
    }

    /** The span ranked first, the one the targets rest on most. */
    public TextSpan topSpan() {
        return spans.get(order[0]);
    }
}
