package io.github.eagle4j.baselines;

import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.masking.Masker;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LIME, Local Interpretable Model-agnostic Explanations (Ribeiro, Singh and Guestrin, KDD 2016), with the
 * settings of its image explainer: the first sample is the intact image, every other sample keeps each region
 * with probability ½; a sample z is weighted by the exponential kernel
 * {@code π(z) = sqrt(exp(−d(z)² / σ²))} of its cosine distance {@code d(z) = 1 − |z| / sqrt(|z|·N)} to the
 * all-on vector, σ = 0.25; a weighted ridge regression (α = 1, unpenalised intercept) of the score on the on/off
 * vector is the linear surrogate, and regions rank by coefficient, largest first. (LIME's default feature
 * selection for images keeps up to 100,000 features, i.e. every region, so the sparse surrogate is this ridge
 * fit on all of them.)
 *
 * <p>Cost: exactly {@code samples} images. Reproducible: the samples come from {@code new SplittableRandom(seed)}.
 */
public final class LimeAttribution implements RegionAttributionMethod {
    /** LIME's image kernel width. */
    public static final double DEFAULT_KERNEL_WIDTH = 0.25;
    /** LIME's ridge penalty. */
    public static final double DEFAULT_RIDGE = 1.0;

    private final int samples;
    private final double kernelWidth;
    private final double ridge;
    private final long seed;

    /**
     * @param samples     images scored, the intact image included (≥ 2)
     * @param kernelWidth σ of the kernel, &gt; 0
     * @param ridge       α of the ridge penalty, ≥ 0
     * @param seed        seed of the samples
     */
    public LimeAttribution(int samples, double kernelWidth, double ridge, long seed) {
        if (samples < 2) {
            throw new IllegalArgumentException("LIME needs at least 2 samples, got " + samples);
        }
        if (!(kernelWidth > 0) || !Double.isFinite(kernelWidth)) {
            throw new IllegalArgumentException("LIME kernel width must be finite and > 0, got " + kernelWidth);
        }
        if (!(ridge >= 0) || !Double.isFinite(ridge)) {
            throw new IllegalArgumentException("LIME ridge penalty must be finite and >= 0, got " + ridge);
        }
        this.samples = samples;
        this.kernelWidth = kernelWidth;
        this.ridge = ridge;
        this.seed = seed;
    }

    /** With LIME's defaults σ = 0.25, α = 1. */
    public LimeAttribution(int samples, long seed) {
        this(samples, DEFAULT_KERNEL_WIDTH, DEFAULT_RIDGE, seed);
    }

    @Override
    public String name() {
        return "lime";
    }

    @Override
    public RegionAttribution attribute(Masker masker, TokenScorer scorer, ProgressListener listener) {
        int n = masker.regions().regionCount();
        SplittableRandom random = new SplittableRandom(seed);
        List<BitSet> z = new ArrayList<>(samples);
        BitSet all = new BitSet(n);
        all.set(0, n);
        z.add(all);
        for (int i = 1; i < samples; i++) {
            BitSet s = new BitSet(n);
            for (int r = 0; r < n; r++) {
                if (random.nextBoolean()) {
                    s.set(r);
                }
            }
            z.add(s);
        }
        SampleScorer sampleScorer = new SampleScorer(masker, scorer);
        double[] y = sampleScorer.meanScores(z, listener);
        double[] weights = new double[samples];
        for (int i = 0; i < samples; i++) {
            int on = z.get(i).cardinality();
            // cosine distance to the all-on vector; the all-off vector has no direction: distance 1
            double d = on == 0 ? 1.0 : 1.0 - Math.sqrt((double) on / n);
            weights[i] = Math.sqrt(Math.exp(-d * d / (kernelWidth * kernelWidth)));
        }
        double[] coefficients = weightedRidge(z, y, weights, n, ridge);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("samples", samples);
        settings.put("kernelWidth", kernelWidth);
        settings.put("ridge", ridge);
        settings.put("seed", seed);
        return new RegionAttribution(name(), RegionAttribution.rank(coefficients), coefficients,
                sampleScorer.images(), sampleScorer.calls(), settings);
    }

    /**
     * Minimises {@code Σ_i w_i (y_i − b − z_i·β)² + α|β|²} over β and the intercept b: centre z and y on their
     * weighted means, then solve {@code (Zcᵀ W Zc + α I) β = Zcᵀ W yc}.
     */
    static double[] weightedRidge(List<BitSet> z, double[] y, double[] w, int n, double alpha) {
        double wSum = 0;
        double yMean = 0;
        double[] zMean = new double[n];
        for (int i = 0; i < y.length; i++) {
            wSum += w[i];
            yMean += w[i] * y[i];
            BitSet s = z.get(i);
            for (int r = s.nextSetBit(0); r >= 0; r = s.nextSetBit(r + 1)) {
                zMean[r] += w[i];
            }
        }
        yMean /= wSum;
        for (int r = 0; r < n; r++) {
            zMean[r] /= wSum;
        }
        double[][] a = new double[n][n];
        double[] b = new double[n];
        double[] zc = new double[n];
        for (int i = 0; i < y.length; i++) {
            BitSet s = z.get(i);
            for (int r = 0; r < n; r++) {
                zc[r] = (s.get(r) ? 1.0 : 0.0) - zMean[r];
            }
            double yc = y[i] - yMean;
            for (int r = 0; r < n; r++) {
                double wz = w[i] * zc[r];
                b[r] += wz * yc;
                double[] row = a[r];
                for (int c = r; c < n; c++) {
                    row[c] += wz * zc[c];
                }
            }
        }
        for (int r = 0; r < n; r++) {
            a[r][r] += alpha;
            for (int c = 0; c < r; c++) {
                a[r][c] = a[c][r];
            }
        }
        return LinearSystems.solve(a, b);
    }
}
