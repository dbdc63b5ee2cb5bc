package io.github.eagle4j;

import io.github.eagle4j.search.SearchStep;
import io.github.eagle4j.search.SearchTrace;

import java.util.List;

/**
 * The region order and the curves along it; every array is indexed by step k = 1..N (index k − 1), the token
 * curves by {@code [k][target]}. Field names are those of {@code explanation.json}.
 *
 * @param order                region ids, most important first
 * @param insertionCurve       mean target probability with only the first k regions kept
 * @param deletionCurve        mean target probability with the first k regions removed
 * @param areaCurve            fraction of the image's pixels in the first k regions
 * @param objectiveCurve       F of the first k regions
 * @param interpolated         per step, whether the point was interpolated (early stop) rather than scored
 * @param insertionTokenCurves {@code [k][target]}
 * @param deletionTokenCurves  {@code [k][target]}
 */
public record Curves(int[] order, double[] insertionCurve, double[] deletionCurve, double[] areaCurve,
                     double[] objectiveCurve, boolean[] interpolated, double[][] insertionTokenCurves,
                     double[][] deletionTokenCurves) {

    /** The curves along a search's order, read off its steps (k = 1..N). */
    public static Curves of(SearchTrace trace) {
        List<SearchStep> steps = trace.steps();
        int n = steps.size();
        double[] ins = new double[n];
        double[] del = new double[n];
        double[] area = new double[n];
        double[] objective = new double[n];
        boolean[] interpolated = new boolean[n];
        double[][] insTokens = new double[n][];
        double[][] delTokens = new double[n][];
        for (int k = 0; k < n; k++) {
            SearchStep s = steps.get(k);
            ins[k] = s.insertionMean();
            del[k] = s.deletionMean();
            area[k] = s.area();
            objective[k] = s.objective();
            interpolated[k] = s.interpolated();
            insTokens[k] = s.insertionProbs().clone();
            delTokens[k] = s.deletionProbs().clone();
        }
        return new Curves(trace.order(), ins, del, area, objective, interpolated, insTokens, delTokens);
    }

    /** Whether some point of the curves was interpolated rather than scored. */
    public boolean anyInterpolated() {
        for (boolean b : interpolated) {
            if (b) {
                return true;
            }
        }
        return false;
    }
}
