package io.github.eagle4j.evaluation;

import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.metrics.Curve;
import io.github.eagle4j.metrics.SensitiveTokenMetrics;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Baseline region orders for {@code eagle evaluate --compare}, and the protocol that scores any order.
 *
 * <p><b>Protocol.</b> A baseline's curves are scored exactly like EAGLE's own (docs/method.md §8): over the same
 * regions, for k = 1..N the insertion image keeps the first k regions of the order and the deletion image
 * removes them, all 2N images in one scorer call; x = the first k regions' cumulative pixel share; AUCs and
 * highest confidence as the authors' evaluation computes them. (The authors instead re-score their baselines'
 * pixel-saliency maps at 64 equal pixel-fraction steps, §15.9; here every method is scored at region-area
 * steps, so the comparison is between orders of the same regions.)
 *
 * <ul>
 *   <li><b>random</b>: a uniformly random permutation (Fisher–Yates, {@link SplittableRandom} with a given seed);
 *       costs the 2N curve images;</li>
 *   <li><b>occlusion</b>: regions ranked by the drop of the mean target probability when each alone is removed
 *       (one batch of N images), larger drop first, ties by lower id; costs N + 2N images.</li>
 * </ul>
 * The pointing game of an order uses its rank map (rank 1 = 1, rank N = 0), so a hit means the first region
 * touches the ground truth.
 */
public final class Baselines {
    /** Name of the random-order baseline. */
    public static final String RANDOM = "random";
    /** Name of the single-region occlusion baseline. */
    public static final String OCCLUSION = "occlusion";

    /** Human-readable statement of the scoring protocol, for outputs. */
    public static final String PROTOCOL = "every order (eagle and each baseline) is scored over the same regions at "
            + "region-area steps: for k = 1..N the insertion image keeps the first k regions of the order and the deletion "
            + "image removes them (baselines: 2N images in one call; eagle: its search's own evaluations); x = cumulative "
            + "pixel share of the first k regions; AUC by trapezoids with the blank (insertion) or full (deletion) point "
            + "prepended (docs/method.md §8); pointing game on each order's map (eagle: §8 map; baselines: rank map); "
            + "occlusion ranks regions by the drop in mean target probability when each alone is removed (N + 1 images); "
            + "rise, lime and kernelshap build their order from their samples (docs/baselines.md)";

    private Baselines() {
    }

    /** A random permutation of {@code 0..n-1}, Fisher–Yates with {@code new SplittableRandom(seed)}. */
    public static int[] randomOrder(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Single-region occlusion: the N images that each remove one region, scored in one call.
     *
     * @param fullImageProbs per target, the intact image's probabilities (the drops are reported against them;
     *                       the order does not depend on them)
     * @return the order (larger drop first, ties lower id) and the drop per region id
     */
    public static Occlusion occlusion(Masker masker, TokenScorer scorer, double[] fullImageProbs) {
        int n = masker.regions().regionCount();
        List<BitSet> images = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            BitSet kept = new BitSet(n);
            kept.set(0, n);
            kept.clear(r);
            images.add(kept);
        }
        double[][] p = score(scorer, new MaskedBatch(masker, images), fullImageProbs.length);
        double fullMean = mean(fullImageProbs);
        double[] drops = new double[n];
        Integer[] ids = new Integer[n];
        for (int r = 0; r < n; r++) {
            drops[r] = fullMean - mean(p[r]);
            ids[r] = r;
        }
        java.util.Arrays.sort(ids, (a, b) -> {
            int c = Double.compare(drops[b], drops[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = ids[i];
        }
        return new Occlusion(order, drops, n);
    }

    /**
     * Single-region occlusion's result.
     *
     * @param order         region ids, larger drop first
     * @param drops         per region id, full-image mean minus the mean with that region removed
     * @param forwardPasses images scored (N)
     */
    public record Occlusion(int[] order, double[] drops, long forwardPasses) {
    }

    /**
     * Scores an order with the protocol of the class comment: 2N images in one call.
     *
     * @param extraPasses          images already spent to build the order (added to the reported cost)
     * @param sensitivityThreshold a target is sensitive when full − blank exceeds this (docs/method.md §8: 0.2)
     */
    public static OrderScore score(String method, int[] order, Masker masker, TokenScorer scorer,
                                   double sensitivityThreshold, long extraPasses) {
        int n = masker.regions().regionCount();
        if (order.length != n) {
            throw new IllegalArgumentException("order has " + order.length + " regions, the image " + n);
        }
        double[] fractions = masker.regions().areaFractions();
        List<BitSet> images = new ArrayList<>(2 * n);
        BitSet prefix = new BitSet(n);
        double[] area = new double[n];
        double cumulative = 0;
        for (int k = 0; k < n; k++) {
            prefix.set(order[k]);
            cumulative += fractions[order[k]];
            area[k] = cumulative;
            images.add((BitSet) prefix.clone());
            BitSet rest = (BitSet) prefix.clone();
            rest.flip(0, n);
            images.add(rest);
        }
        int targets = scorer.task().targets().size();
        double[][] p = score(scorer, new MaskedBatch(masker, images), targets);
        double[][] insTokens = new double[n][];
        double[][] delTokens = new double[n][];
        for (int k = 0; k < n; k++) {
            insTokens[k] = p[2 * k];
            delTokens[k] = p[2 * k + 1];
        }
        double[] full = insTokens[n - 1].clone();
        double[] blank = delTokens[n - 1].clone();
        List<Integer> all = new ArrayList<>();
        List<Integer> sensitive = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            all.add(t);
            if (full[t] - blank[t] > sensitivityThreshold) {
                sensitive.add(t);
            }
        }
        double[] ins = meanCurve(insTokens, all);
        double[] del = meanCurve(delTokens, all);
        double blankMean = mean(blank);
        double fullMean = mean(full);
        SensitiveTokenMetrics sens = null;
        if (!sensitive.isEmpty()) {
            double[] sIns = meanCurve(insTokens, sensitive);
            double[] sDel = meanCurve(delTokens, sensitive);
            double sBlank = meanOf(blank, sensitive);
            double sFull = meanOf(full, sensitive);
            sens = new SensitiveTokenMetrics(sensitive.stream().mapToInt(Integer::intValue).toArray(),
                    Curve.insertionAuc(area, sIns, sBlank), Curve.deletionAuc(area, sDel, sFull),
                    Curve.highestConfidence(sIns, sBlank));
        }
        return new OrderScore(method, order.clone(), area, ins, del, insTokens, delTokens, full, blank,
                Curve.insertionAuc(area, ins, blankMean), Curve.deletionAuc(area, del, fullMean),
                Curve.highestConfidence(ins, blankMean), sens, rankScores(order), extraPasses + 2L * n);
    }

    /** The rank map of an order: the region at rank k (1-based) gets {@code (N − k) / (N − 1)}. */
    public static double[] rankScores(int[] order) {
        int n = order.length;
        double[] scores = new double[n];
        for (int k = 0; k < n; k++) {
            scores[order[k]] = n == 1 ? 1.0 : (double) (n - 1 - k) / (n - 1);
        }
        return scores;
    }

    private static double[][] score(TokenScorer scorer, MaskedBatch images, int targets) {
        double[][] p = scorer.scoreMasked(images);
        if (p == null || p.length != images.size()) {
            throw new ScoringException("scorer " + scorer.description().backend() + " returned "
                    + (p == null ? "nothing" : p.length + " rows") + " for " + images.size() + " images");
        }
        for (double[] row : p) {
            if (row == null || row.length != targets) {
                throw new ScoringException("scorer " + scorer.description().backend() + " returned a row of "
                        + (row == null ? 0 : row.length) + " probabilities for " + targets + " targets");
            }
        }
        return p;
    }

    private static double[] meanCurve(double[][] rows, List<Integer> idx) {
        double[] out = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            out[k] = meanOf(rows[k], idx);
        }
        return out;
    }

    private static double meanOf(double[] v, List<Integer> idx) {
        double s = 0;
        for (int i : idx) {
            s += v[i];
        }
        return s / idx.size();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
