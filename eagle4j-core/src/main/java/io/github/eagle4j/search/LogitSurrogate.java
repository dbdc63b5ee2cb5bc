package io.github.eagle4j.search;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A per-explanation model of the model's probabilities, fitted on every image a search has scored: for each target
 * t, {@code logit p_t(K) ≈ b_t + Σ_{c ∈ K} w_{t,c}} for the kept set K. Through the logistic link one additive model
 * holds both redundancy (any one piece of an object restores a colour word: large weights, low intercept) and
 * conjunction (two pieces needed), which effects of F averaged at one mask density cannot.
 *
 * <p>The fit minimises the cross-entropy with the scored probabilities as soft labels plus a ridge penalty
 * {@value #RIDGE}·|w|²/2 on the region weights (not on the intercepts), by damped Newton steps, warm-started from the
 * previous fit: {@value #FIRST_ITERATIONS} steps the first time, {@value #LATER_ITERATIONS} after that. Unlike least
 * squares on logits, an image the model is sure of costs nothing once predicted sure, so several pieces of an object
 * that each restore the answer are not pulled towards a compromise. Deterministic: no randomness, a fixed order of
 * summation.
 */
final class LogitSurrogate {
    /** Ridge penalty on the region weights. */
    static final double RIDGE = 1.0;
    /** Newton steps of the first fit (from zero). */
    static final int FIRST_ITERATIONS = 10;
    /** Newton steps of each later fit (warm-started). */
    static final int LATER_ITERATIONS = 2;
    /** Floor of the Newton weights p(1 − p), so a sure image still conditions the system. */
    private static final double MIN_CURVATURE = 1e-6;
    /** Step halvings tried before a Newton step is given up. */
    private static final int HALVINGS = 8;

    private final int n;
    private final int targets;
    /** Each image's kept regions, ascending. */
    private final List<int[]> rows = new ArrayList<>();
    private final List<double[]> probs = new ArrayList<>();
    /** [target][region], and the intercepts. */
    private final double[][] weight;
    private final double[] intercept;
    private int fittedRows = -1;

    LogitSurrogate(int n, int targets) {
        this.n = n;
        this.targets = targets;
        this.weight = new double[targets][n];
        this.intercept = new double[targets];
    }

    /** Scored images: their kept sets and per-target probabilities. */
    void addAll(List<BitSet> kept, double[][] scored) {
        for (int i = 0; i < kept.size(); i++) {
            rows.add(kept.get(i).stream().toArray());
            probs.add(scored[i].clone());
        }
    }

    int size() {
        return rows.size();
    }

    /** Refits on every image added so far; nothing to do when none was added since the last fit. */
    void fit() {
        if (rows.size() == fittedRows) {
            return;
        }
        int iterations = fittedRows < 0 ? FIRST_ITERATIONS : LATER_ITERATIONS;
        for (int t = 0; t < targets; t++) {
            fitTarget(t, iterations);
        }
        fittedRows = rows.size();
    }

    private void fitTarget(int t, int iterations) {
        int m = n + 1; // index n is the intercept
        double[] beta = new double[m];
        System.arraycopy(weight[t], 0, beta, 0, n);
        beta[n] = intercept[t];
        double loss = loss(beta, t);
        for (int it = 0; it < iterations; it++) {
            double[][] h = new double[m][m];
            double[] g = new double[m];
            for (int i = 0; i < rows.size(); i++) {
                int[] r = rows.get(i);
                double q = sigmoid(z(beta, r));
                double d = Math.max(q * (1 - q), MIN_CURVATURE);
                double e = q - probs.get(i)[t];
                // lower triangle: r lists regions ascending, so r[b] <= r[a]
                for (int a = 0; a < r.length; a++) {
                    double[] ha = h[r[a]];
                    for (int b = 0; b <= a; b++) {
                        ha[r[b]] += d;
                    }
                    h[n][r[a]] += d;
                    g[r[a]] += e;
                }
                h[n][n] += d;
                g[n] += e;
            }
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < a; b++) {
                    h[b][a] = h[a][b];
                }
            }
            for (int a = 0; a < n; a++) {
                h[a][a] += RIDGE;
                g[a] += RIDGE * beta[a];
            }
            h[n][n] += 1e-9;
            double[] dir = solve(cholesky(h), g);
            double size = 1;
            for (int tries = 0; tries < HALVINGS; tries++) {
                double[] next = new double[m];
                for (int a = 0; a < m; a++) {
                    next[a] = beta[a] - size * dir[a];
                }
                double nextLoss = loss(next, t);
                if (nextLoss <= loss) {
                    beta = next;
                    loss = nextLoss;
                    break;
                }
                size /= 2;
            }
        }
        System.arraycopy(beta, 0, weight[t], 0, n);
        intercept[t] = beta[n];
    }

    private double z(double[] beta, int[] row) {
        double z = beta[n];
        for (int a : row) {
            z += beta[a];
        }
        return z;
    }

    private double loss(double[] beta, int t) {
        double loss = 0;
        for (int i = 0; i < rows.size(); i++) {
            double z = z(beta, rows.get(i));
            // log(1 + e^z) − y·z, written to stay finite for large |z|
            loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - probs.get(i)[t] * z;
        }
        for (int a = 0; a < n; a++) {
            loss += RIDGE / 2 * beta[a] * beta[a];
        }
        return loss;
    }

    /** Per target: the intercept plus the weights of {@code set}'s regions, the predicted logit of keeping it. */
    double[] logitOf(BitSet set) {
        double[] z = intercept.clone();
        for (int c = set.nextSetBit(0); c >= 0; c = set.nextSetBit(c + 1)) {
            for (int t = 0; t < targets; t++) {
                z[t] += weight[t][c];
            }
        }
        return z;
    }

    /** Region c's weight for target t. */
    double weight(int t, int c) {
        return weight[t][c];
    }

    double intercept(int t) {
        return intercept[t];
    }

    int targets() {
        return targets;
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double[][] cholesky(double[][] a) {
        int m = a.length;
        double[][] l = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    l[i][i] = Math.sqrt(Math.max(s, 1e-12));
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    private static double[] solve(double[][] l, double[] b) {
        int m = b.length;
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[m];
        for (int i = m - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < m; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }
}
