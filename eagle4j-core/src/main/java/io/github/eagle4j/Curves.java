package io.github.eagle4j;

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
