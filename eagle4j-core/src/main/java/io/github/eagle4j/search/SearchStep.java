package io.github.eagle4j.search;

/**
 * One point of the search's curves: the state after the first k regions of the final order.
 *
 * @param region         the region placed at rank k
 * @param objective      F of the first k regions
 * @param insertionProbs per target, only the first k regions visible
 * @param deletionProbs  per target, the first k regions removed
 * @param area           fraction of the image's pixels in the first k regions
 * @param interpolated   true when the point was not scored but interpolated (early stop, docs/method.md §7)
 */
public record SearchStep(int region, double objective, double[] insertionProbs, double[] deletionProbs,
                         double area, boolean interpolated) {

    /** Mean over targets of {@link #insertionProbs()}. */
    public double insertionMean() {
        return mean(insertionProbs);
    }

    /** Mean over targets of {@link #deletionProbs()}. */
    public double deletionMean() {
        return mean(deletionProbs);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
