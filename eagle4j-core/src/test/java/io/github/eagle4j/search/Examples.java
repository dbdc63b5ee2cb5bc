package io.github.eagle4j.search;

import static io.github.eagle4j.search.FunctionScorer.has;
import static io.github.eagle4j.search.FunctionScorer.in;

/** The worked examples of docs/method.md (§5–§7) as scorers and area vectors. */
final class Examples {
    private Examples() {
    }

    /** Examples A and B: a 4×6 image, regions of [2, 3, 4, 5, 4, 6] pixels. */
    static double[] areasAB() {
        return areas(2, 3, 4, 5, 4, 6);
    }

    static double[] areas(int... pixels) {
        double total = 0;
        for (int p : pixels) {
            total += p;
        }
        double[] out = new double[pixels.length];
        for (int r = 0; r < out.length; r++) {
            out[r] = pixels[r] / total;
        }
        return out;
    }

    static double[] equalAreas(int n) {
        int[] ones = new int[n];
        java.util.Arrays.fill(ones, 1);
        return areas(ones);
    }

    /** Example A (§5): additive, 2 targets. */
    static FunctionScorer exampleA() {
        return FunctionScorer.additive(new double[] {0.10, 0.20}, new double[][] {
                {0.30, 0.05, 0.20, 0.00, 0.10, 0.05},
                {0.05, 0.20, 0.10, 0.15, 0.00, 0.08}});
    }

    /** Example B (§5): regions 1 and 4 matter only together. */
    static FunctionScorer exampleB() {
        return new FunctionScorer(6, 2, s -> {
            double pair = has(s, 1, 4) ? 1 : 0;
            return new double[] {
                    0.05 + 0.60 * pair + 0.10 * in(s, 0) + 0.05 * in(s, 2),
                    0.10 + 0.40 * pair + 0.30 * in(s, 3) + 0.06 * in(s, 5) + 0.02 * in(s, 4)};
        });
    }

    /** §7's lazy ≠ full case: one target, a three-way term over {0, 1, 2}. */
    static FunctionScorer lazyDiffersFromFull() {
        return new FunctionScorer(6, 1, s -> new double[] {
                0.70 * (has(s, 0, 1, 2) ? 1 : 0) + 0.12 * in(s, 0) + 0.08 * in(s, 1) + 0.02 * in(s, 2)
                        + 0.04 * in(s, 3)});
    }

    /** §6's 10-region single-token case where efficient differs from full greedy (one pixel per region). */
    static FunctionScorer tenRegions() {
        double[] w = {0.20, 0.02, 0.11, 0.05, 0.15, 0.01, 0.08, 0.03, 0.12, 0.04};
        return new FunctionScorer(10, 1, s -> {
            double p = 0.05;
            for (int r = s.nextSetBit(0); r >= 0; r = s.nextSetBit(r + 1)) {
                p += w[r];
            }
            p += 0.30 * (has(s, 1, 5, 7) ? 1 : 0);
            return new double[] {Math.min(1.0, p)};
        });
    }

    /** A modular scorer: n regions (n coprime to 37 and 53, e.g. 64), 2 targets, distinct per-region totals. */
    static FunctionScorer modular(int n) {
        double[][] w = new double[2][n];
        double denom = n * (n + 1.0);
        for (int r = 0; r < n; r++) {
            // scrambled so the order differs from the id order; target 2 only perturbs target 1's order,
            // too little to reorder it, so per-region totals stay distinct (no floating-point near-ties)
            w[0][r] = ((r * 37 + 11) % n + 1) / denom;
            w[1][r] = ((r * 53 + 5) % n + 1) / (n * denom);
        }
        return FunctionScorer.additive(new double[] {0.0, 0.0}, w);
    }
}
