package io.github.eagle4j.search;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A per-explanation model of the model's probabilities, fitted on every image a search has scored: for each target
 * t, {@code logit p_t(K) ≈ b_t + Σ_{c ∈ K} w_{t,c}} for the kept set K, by ridge least squares on the clamped
 * logits. Through the logistic link one additive model holds both redundancy (any one piece of an object restores
 * a colour word: large weights, low intercept) and conjunction (two pieces needed), which linear effects of F taken
 * at one mask density cannot. The normal equations of all targets share one Gram matrix, so a fit costs one
 * Cholesky factorisation of an (N + 1)² matrix; it is deterministic.
 */
final class LogitSurrogate {
    private final int n;
    private final int targets;
    private final double ridge;
    private final double clamp;
    private final double recentWeight;
    private final double recentSteps;
    private final List<int[]> rows = new ArrayList<>();
    private final List<double[]> logits = new ArrayList<>();
    private final List<double[]> probs = new ArrayList<>();
    static final boolean CE = "ce".equals(System.getProperty("surr.fit", "ce"));
    static final int CE_FIRST = Integer.getInteger("surr.ceFirst", 10);
    static final int CE_ITERS = Integer.getInteger("surr.ceIters", 2);
    private boolean started;
    private final List<Integer> rowStep = new ArrayList<>();
    /** [target][region], and the intercepts. */
    private final double[][] weight;
    private final double[] intercept;
    private int fittedRows = -1;
    private int fittedStep = -1;
    private int clock;

    /**
     * @param ridge        penalty on the squared region weights (not on the intercepts)
     * @param clamp        probabilities are clamped to [clamp, 1 − clamp] before their logit is taken
     * @param recentWeight extra weight of an image scored at the current step, decaying over {@code recentSteps}
     * @param recentSteps  decay of the extra weight, in steps (0: every image weighs the same)
     */
    LogitSurrogate(int n, int targets, double ridge, double clamp, double recentWeight, double recentSteps) {
        this.n = n;
        this.targets = targets;
        this.ridge = ridge;
        this.clamp = clamp;
        this.recentWeight = recentWeight;
        this.recentSteps = recentSteps;
        this.weight = new double[targets][n];
        this.intercept = new double[targets];
    }

    /** A region was placed: images scored from now on belong to a new context. */
    void tick() {
        clock++;
    }

    /** One scored image: its kept set and per-target probabilities. */
    void add(BitSet kept, double[] probs) {
        rows.add(kept.stream().toArray());
        double[] z = new double[targets];
        for (int t = 0; t < targets; t++) {
            double p = Math.min(1 - clamp, Math.max(clamp, probs[t]));
            z[t] = Math.log(p / (1 - p));
        }
        logits.add(z);
        this.probs.add(probs.clone());
        rowStep.add(clock);
    }

    void addAll(List<BitSet> kept, double[][] probs) {
        for (int i = 0; i < kept.size(); i++) {
            add(kept.get(i), probs[i]);
        }
    }

    int size() {
        return rows.size();
    }

    /** Refits on every image added so far (nothing to do when none was added since the last fit in this context). */
    void fit() {
        int step = clock;
        if (rows.size() == fittedRows && (recentSteps <= 0 || step == fittedStep)) {
            return;
        }
        if (CE) {
            fitCrossEntropy(step);
            fittedRows = rows.size();
            fittedStep = step;
            return;
        }
        int m = n + 1; // index n is the intercept
        double[][] g = new double[m][m];
        double[][] rhs = new double[targets][m];
        for (int i = 0; i < rows.size(); i++) {
            int[] r = rows.get(i);
            double w = 1;
            if (recentSteps > 0) {
                w += recentWeight * Math.exp(-(step - rowStep.get(i)) / recentSteps);
            }
            double[] z = logits.get(i);
            for (int a = 0; a < r.length; a++) {
                double[] ga = g[r[a]];
                for (int b = 0; b <= a; b++) {
                    ga[r[b]] += w;
                }
                g[n][r[a]] += w;
            }
            g[n][n] += w;
            for (int t = 0; t < targets; t++) {
                double wz = w * z[t];
                double[] rt = rhs[t];
                for (int a : r) {
                    rt[a] += wz;
                }
                rt[n] += wz;
            }
        }
        // lower triangle holds the sums (rows list regions ascending, so r[b] <= r[a]); mirror it
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < a; b++) {
                g[b][a] = g[a][b];
            }
        }
        for (int a = 0; a < n; a++) {
            g[a][a] += ridge;
        }
        g[n][n] += 1e-9;
        double[][] l = cholesky(g);
        for (int t = 0; t < targets; t++) {
            double[] x = solve(l, rhs[t]);
            System.arraycopy(x, 0, weight[t], 0, n);
            intercept[t] = x[n];
        }
        fittedRows = rows.size();
        fittedStep = step;
    }

    private double rowWeight(int i, int step) {
        double w = 1;
        if (recentSteps > 0) {
            w += recentWeight * Math.exp(-(step - rowStep.get(i)) / recentSteps);
        }
        return w;
    }

    /** Damped Newton steps on the ridge-penalised cross-entropy with the probabilities as soft labels, warm-started. */
    private void fitCrossEntropy(int step) {
        int m = n + 1;
        int iters = started ? CE_ITERS : CE_FIRST;
        started = true;
        int rowsN = rows.size();
        double[] w = new double[rowsN];
        for (int i = 0; i < rowsN; i++) {
            w[i] = rowWeight(i, step);
        }
        for (int t = 0; t < targets; t++) {
            double[] beta = new double[m];
            System.arraycopy(weight[t], 0, beta, 0, n);
            beta[n] = intercept[t];
            double loss = ceLoss(beta, t, w);
            for (int it = 0; it < iters; it++) {
                double[][] h = new double[m][m];
                double[] g = new double[m];
                for (int i = 0; i < rowsN; i++) {
                    int[] r = rows.get(i);
                    double z = beta[n];
                    for (int a : r) {
                        z += beta[a];
                    }
                    double q = sigmoid(z);
                    double y = probs.get(i)[t];
                    double d = w[i] * Math.max(q * (1 - q), 1e-6);
                    double e = w[i] * (q - y);
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
                    h[a][a] += ridge;
                    g[a] += ridge * beta[a];
                }
                h[n][n] += 1e-9;
                double[] dir = solve(cholesky(h), g);
                double stepSize = 1;
                for (int tries = 0; tries < 8; tries++) {
                    double[] next = new double[m];
                    for (int a = 0; a < m; a++) {
                        next[a] = beta[a] - stepSize * dir[a];
                    }
                    double l2 = ceLoss(next, t, w);
                    if (l2 <= loss) {
                        beta = next;
                        loss = l2;
                        break;
                    }
                    stepSize /= 2;
                }
            }
            System.arraycopy(beta, 0, weight[t], 0, n);
            intercept[t] = beta[n];
        }
    }

    private double ceLoss(double[] beta, int t, double[] w) {
        double loss = 0;
        for (int i = 0; i < rows.size(); i++) {
            double z = beta[n];
            for (int a : rows.get(i)) {
                z += beta[a];
            }
            double y = probs.get(i)[t];
            // log(1 + e^z) − y·z, written to stay finite for large |z|
            loss += w[i] * ((z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y * z);
        }
        for (int a = 0; a < n; a++) {
            loss += ridge / 2 * beta[a] * beta[a];
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
