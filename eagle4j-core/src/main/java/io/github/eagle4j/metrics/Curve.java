package io.github.eagle4j.metrics;

/**
 * Trapezoid areas over the cumulative-area axis, exactly as the authors' evaluation computes them
 * (docs/method.md §8: {@code sklearn.metrics.auc} over the N+1 points, positive area for decreasing x).
 */
public final class Curve {
    private Curve() {
    }

    /**
     * Insertion AUC: points {@code (0, blank), (area_1, ins_1) … (area_N, ins_N)}.
     *
     * @param areas      cumulative area fractions of the first k regions, k = 1..N
     * @param insertion  score with only the first k regions visible, k = 1..N
     * @param blankScore score of the image with every region removed (the prepended point)
     */
    public static double insertionAuc(double[] areas, double[] insertion, double blankScore) {
        return trapezoid(withOrigin(0.0, areas), withOrigin(blankScore, insertion));
    }

    /**
     * Deletion AUC: points {@code (1, full), (1 − area_1, del_1) … (1 − area_N, del_N)}.
     *
     * @param areas     cumulative area fractions of the first k regions, k = 1..N
     * @param deletion  score with the first k regions removed, k = 1..N
     * @param fullScore score of the intact image (the prepended point)
     */
    public static double deletionAuc(double[] areas, double[] deletion, double fullScore) {
        double[] x = withOrigin(0.0, areas);
        for (int i = 0; i < x.length; i++) {
            x[i] = 1.0 - x[i];
        }
        return trapezoid(x, withOrigin(fullScore, deletion));
    }

    /** Highest confidence: the maximum of the insertion curve including the prepended blank point. */
    public static double highestConfidence(double[] insertion, double blankScore) {
        double max = blankScore;
        for (double v : insertion) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** Visual reliance I_t of one token: insertion AUC minus the curve's minimum (docs/method.md §9). */
    public static double visualReliance(double[] areas, double[] tokenInsertion, double tokenBlank) {
        double min = tokenBlank;
        for (double v : tokenInsertion) {
            min = Math.min(min, v);
        }
        return insertionAuc(areas, tokenInsertion, tokenBlank) - min;
    }

    /** {@code Σ |x_{i+1} − x_i| · (y_i + y_{i+1}) / 2}. */
    static double trapezoid(double[] x, double[] y) {
        double area = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            area += Math.abs(x[i + 1] - x[i]) * (y[i] + y[i + 1]) / 2.0;
        }
        return area;
    }

    private static double[] withOrigin(double first, double[] rest) {
        double[] out = new double[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
