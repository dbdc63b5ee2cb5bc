package io.github.eagle4j.evaluation;

import java.util.List;

/**
 * The mean of many items' curves and their spread. Items have different regions, so their curves have points at
 * different area fractions; each is first resampled at the fixed {@link #GRID} (linear interpolation between its
 * points, with the blank image (insertion) or the full image (deletion) at area 0, and its last value held up to
 * area 1), then averaged point by point.
 *
 * @param mean per grid point, the mean over items (NaN without items)
 * @param sd   per grid point, the population standard deviation over items
 * @param items curves averaged
 */
public record MeanCurves(double[] mean, double[] sd, int items) {
    /** Area fractions 0, 0.05, …, 1. */
    public static final double[] GRID = grid(20);

    private static double[] grid(int steps) {
        double[] g = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            g[i] = (double) i / steps;
        }
        return g;
    }

    /**
     * A curve at the {@link #GRID} points.
     *
     * @param area  cumulative area of the first k regions, k = 1..N (non-decreasing)
     * @param curve the value after the first k regions
     * @param start the value at area 0
     */
    public static double[] resample(double[] area, double[] curve, double start) {
        double[] out = new double[GRID.length];
        int k = 0; // first point whose area is >= x
        for (int i = 0; i < GRID.length; i++) {
            double x = GRID[i];
            while (k < area.length && area[k] < x) {
                k++;
            }
            if (k == area.length) {
                out[i] = curve[area.length - 1];
                continue;
            }
            double x0 = k == 0 ? 0.0 : area[k - 1];
            double y0 = k == 0 ? start : curve[k - 1];
            double x1 = area[k];
            double y1 = curve[k];
            out[i] = x1 > x0 ? y0 + (y1 - y0) * (x - x0) / (x1 - x0) : y1;
        }
        return out;
    }

    /** Mean and spread of resampled curves, summed in list order. */
    public static MeanCurves of(List<double[]> curves) {
        int g = GRID.length;
        double[] mean = new double[g];
        double[] sd = new double[g];
        int n = curves.size();
        for (double[] c : curves) {
            for (int i = 0; i < g; i++) {
                mean[i] += c[i];
            }
        }
        for (int i = 0; i < g; i++) {
            mean[i] = n == 0 ? Double.NaN : mean[i] / n;
        }
        for (double[] c : curves) {
            for (int i = 0; i < g; i++) {
                double d = c[i] - mean[i];
                sd[i] += d * d;
            }
        }
        for (int i = 0; i < g; i++) {
            sd[i] = n == 0 ? Double.NaN : Math.sqrt(sd[i] / n);
        }
        return new MeanCurves(mean, sd, n);
    }
}
