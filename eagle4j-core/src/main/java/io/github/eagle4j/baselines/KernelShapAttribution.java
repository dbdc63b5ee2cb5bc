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
 * KernelSHAP (Lundberg and Lee, NeurIPS 2017): the Shapley values of the regions, estimated by a weighted linear
 * regression of the score of a coalition (the image with only its regions kept) on its on/off vector, with the
 * Shapley kernel {@code π(z) = (N − 1) / (C(N, |z|) · |z| · (N − |z|))} as weights.
 *
 * <ul>
 *   <li>The empty and the full coalition have infinite weight; they are scored first and enter as constraints:
 *       {@code φ₀ = f(∅)} and {@code Σ φ = f(V) − f(∅)}.</li>
 *   <li>Coalition sizes pair up (s with N − s, equal kernel mass). From the outside in, a size pair whose every
 *       coalition the remaining budget would draw anyway (budget × its share of the remaining kernel mass ≥ its
 *       coalition count) is enumerated completely with its exact kernel weights.</li>
 *   <li>The rest of the budget is sampled in pairs: a size pair drawn in proportion to its kernel mass, a uniformly
 *       random coalition of that size, then its complement (paired sampling); these samples share the remaining
 *       kernel mass equally.</li>
 *   <li>φ solves the constrained weighted least squares through its KKT system, with a ridge of 10⁻⁹ of the mean
 *       diagonal so that a budget smaller than N still gives a (near minimum-norm) answer.</li>
 * </ul>
 * Regions rank by Shapley value, largest first.
 *
 * <p>Cost: exactly {@code samples} images, the two constraint images included — except that no more than the
 * 2<sup>N</sup> distinct coalitions are ever scored (a budget that covers them all gives the exact Shapley values).
 * Reproducible: the samples come from {@code new SplittableRandom(seed)}.
 */
public final class KernelShapAttribution implements RegionAttributionMethod {
    private static final double RIDGE = 1e-9;

    private final int samples;
    private final long seed;

    /**
     * @param samples images scored, the empty and full coalitions included (≥ 2)
     * @param seed    seed of the sampled coalitions
     */
    public KernelShapAttribution(int samples, long seed) {
        if (samples < 2) {
            throw new IllegalArgumentException("KernelSHAP needs at least 2 samples (the empty and full images), got "
                    + samples);
        }
        this.samples = samples;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "kernelshap";
    }

    @Override
    public RegionAttribution attribute(Masker masker, TokenScorer scorer, ProgressListener listener) {
        int n = masker.regions().regionCount();
        if (n < 2) {
            throw new IllegalArgumentException("KernelSHAP needs at least 2 regions, got " + n);
        }
        List<BitSet> coalitions = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        BitSet empty = new BitSet(n);
        BitSet full = new BitSet(n);
        full.set(0, n);
        coalitions.add(empty);
        coalitions.add(full);
        weights.add(0.0);
        weights.add(0.0);
        draw(n, coalitions, weights);

        SampleScorer sampleScorer = new SampleScorer(masker, scorer);
        double[] f = sampleScorer.meanScores(coalitions, listener);
        double[] phi = solve(n, coalitions, weights, f);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("samples", samples);
        settings.put("coalitions", coalitions.size());
        settings.put("seed", seed);
        return new RegionAttribution(name(), RegionAttribution.rank(phi), phi, sampleScorer.images(),
                sampleScorer.calls(), settings);
    }

    /** Adds the coalitions beyond the empty and full ones, with their regression weights. */
    private void draw(int n, List<BitSet> coalitions, List<Double> weights) {
        double distinct = Math.pow(2, n) - 2;
        long left = (long) Math.min(samples - 2L, distinct);
        int pairs = n / 2;
        double[] pairMass = new double[pairs + 1];
        double[] pairCount = new double[pairs + 1];
        double remainingMass = 0;
        for (int s = 1; s <= pairs; s++) {
            boolean self = 2 * s == n;
            pairMass[s] = kernelMass(n, s) * (self ? 1 : 2);
            pairCount[s] = binomial(n, s) * (self ? 1 : 2);
            remainingMass += pairMass[s];
        }
        int firstSampled = 1;
        for (int s = 1; s <= pairs && left > 0; s++) {
            if (pairCount[s] > left || left * pairMass[s] / remainingMass < pairCount[s] - 1e-8) {
                break;
            }
            double w = kernelMass(n, s) / binomial(n, s);
            boolean paired = 2 * s != n;
            enumerate(n, s, c -> {
                coalitions.add(c);
                weights.add(w);
                if (paired) {
                    BitSet complement = (BitSet) c.clone();
                    complement.flip(0, n);
                    coalitions.add(complement);
                    weights.add(w);
                }
            });
            left -= (long) pairCount[s];
            remainingMass -= pairMass[s];
            firstSampled = s + 1;
        }
        if (left <= 0 || firstSampled > pairs) {
            return;
        }
        SplittableRandom random = new SplittableRandom(seed);
        double share = remainingMass / left;
        int[] ids = new int[n];
        while (left > 0) {
            double u = random.nextDouble() * remainingMass;
            int s = firstSampled;
            while (s < pairs && u >= pairMass[s]) {
                u -= pairMass[s];
                s++;
            }
            // a uniformly random coalition of size s (partial Fisher–Yates), then its complement
            for (int i = 0; i < n; i++) {
                ids[i] = i;
            }
            BitSet c = new BitSet(n);
            for (int i = 0; i < s; i++) {
                int j = i + random.nextInt(n - i);
                int t = ids[i];
                ids[i] = ids[j];
                ids[j] = t;
                c.set(ids[i]);
            }
            if (left == 1 && random.nextBoolean()) {
                c.flip(0, n); // a lone last sample takes either side of the pair
            }
            coalitions.add(c);
            weights.add(share);
            left--;
            if (left > 0) {
                BitSet complement = (BitSet) c.clone();
                complement.flip(0, n);
                coalitions.add(complement);
                weights.add(share);
                left--;
            }
        }
    }

    /** Total Shapley-kernel weight of the coalitions of size s: C(N, s) · π = (N − 1) / (s (N − s)). */
    private static double kernelMass(int n, int s) {
        return (n - 1.0) / ((double) s * (n - s));
    }

    private static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return Math.rint(c);
    }

    private static void enumerate(int n, int size, java.util.function.Consumer<BitSet> out) {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        while (true) {
            BitSet c = new BitSet(n);
            for (int i : idx) {
                c.set(i);
            }
            out.accept(c);
            int i = size - 1;
            while (i >= 0 && idx[i] == n - size + i) {
                i--;
            }
            if (i < 0) {
                return;
            }
            idx[i]++;
            for (int j = i + 1; j < size; j++) {
                idx[j] = idx[j - 1] + 1;
            }
        }
    }

    /**
     * Minimises {@code Σ w_i (f_i − f(∅) − z_i·φ)²} subject to {@code Σ φ = f(V) − f(∅)}: the KKT system
     * {@code [H 1; 1ᵀ 0] [φ; μ] = [g; Δ]} with {@code H = Σ w z zᵀ} (plus a tiny ridge) and
     * {@code g = Σ w z (f − f(∅))}.
     *
     * @param f per coalition, its score; index 0 is the empty coalition, 1 the full one
     */
    static double[] solve(int n, List<BitSet> coalitions, List<Double> weights, double[] f) {
        double empty = f[0];
        double delta = f[1] - f[0];
        double[][] a = new double[n + 1][n + 1];
        double[] b = new double[n + 1];
        int[] on = new int[n];
        for (int i = 0; i < coalitions.size(); i++) {
            double w = weights.get(i);
            if (w == 0) {
                continue;
            }
            BitSet c = coalitions.get(i);
            int k = 0;
            for (int r = c.nextSetBit(0); r >= 0; r = c.nextSetBit(r + 1)) {
                on[k++] = r;
            }
            double wy = w * (f[i] - empty);
            for (int p = 0; p < k; p++) {
                int r = on[p];
                b[r] += wy;
                double[] row = a[r];
                for (int q = 0; q < k; q++) {
                    row[on[q]] += w;
                }
            }
        }
        double trace = 0;
        for (int r = 0; r < n; r++) {
            trace += a[r][r];
        }
        double ridge = RIDGE * (trace > 0 ? trace / n : 1.0);
        for (int r = 0; r < n; r++) {
            a[r][r] += ridge;
            a[r][n] = 1;
            a[n][r] = 1;
        }
        b[n] = delta;
        double[] x = LinearSystems.solve(a, b);
        return java.util.Arrays.copyOf(x, n);
    }
}
