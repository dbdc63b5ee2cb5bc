package io.github.eagle4j.baselines;

/** Dense linear solves for the surrogate regressions (systems of a few hundred unknowns at most). */
final class LinearSystems {
    private LinearSystems() {
    }

    /**
     * Solves {@code a · x = b} by Gaussian elimination with partial pivoting; {@code a} and {@code b} are
     * overwritten. A pivot that vanishes (a singular system) gives 0 for that unknown rather than NaN, so a
     * region no sample could tell apart gets no attribution.
     */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double scale = 0;
        for (double[] row : a) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double tiny = scale * 1e-13;
        boolean[] dead = new boolean[n];
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            double tb = b[col];
            b[col] = b[pivot];
            b[pivot] = tb;
            if (Math.abs(a[col][col]) <= tiny) {
                dead[col] = true;
                continue;
            }
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                if (f != 0) {
                    for (int c = col; c < n; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                    b[r] -= f * b[col];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            if (dead[r]) {
                continue;
            }
            double s = b[r];
            for (int c = r + 1; c < n; c++) {
                s -= a[r][c] * x[c];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }
}
