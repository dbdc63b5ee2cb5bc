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
 * RISE, Randomized Input Sampling for Explanation (Petsiuk, Das and Saenko, BMVC 2018), over the explanation's
 * regions: {@code samples} random masks keep each region independently with probability {@code p}; a region's
 * saliency is the mask-weighted mean score, normalised by p,
 * {@code S(r) = Σ_i f(m_i)·m_i(r) / (samples · p)}, an estimate of the expected score given the region is kept.
 * (The paper draws masks on a coarse grid, upsampled with random shifts; here the masks are over the same
 * superpixels every other method uses, so the orders compare region for region.)
 *
 * <p>Cost: exactly {@code samples} images. Reproducible: the masks come from {@code new SplittableRandom(seed)}.
 */
public final class RiseAttribution implements RegionAttributionMethod {
    /** The paper's keep probability. */
    public static final double DEFAULT_KEEP_PROBABILITY = 0.5;

    private final int samples;
    private final double keepProbability;
    private final long seed;

    /**
     * @param samples         masks scored (≥ 1)
     * @param keepProbability p, in (0, 1)
     * @param seed            seed of the masks
     */
    public RiseAttribution(int samples, double keepProbability, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("RISE needs at least 1 sample, got " + samples);
        }
        if (!(keepProbability > 0 && keepProbability < 1)) {
            throw new IllegalArgumentException("RISE keep probability must be in (0, 1), got " + keepProbability);
        }
        this.samples = samples;
        this.keepProbability = keepProbability;
        this.seed = seed;
    }

    /** With the paper's p = 0.5. */
    public RiseAttribution(int samples, long seed) {
        this(samples, DEFAULT_KEEP_PROBABILITY, seed);
    }

    @Override
    public String name() {
        return "rise";
    }

    @Override
    public RegionAttribution attribute(Masker masker, TokenScorer scorer, ProgressListener listener) {
        int n = masker.regions().regionCount();
        SplittableRandom random = new SplittableRandom(seed);
        List<BitSet> masks = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            BitSet m = new BitSet(n);
            for (int r = 0; r < n; r++) {
                if (random.nextDouble() < keepProbability) {
                    m.set(r);
                }
            }
            masks.add(m);
        }
        SampleScorer sampleScorer = new SampleScorer(masker, scorer);
        double[] f = sampleScorer.meanScores(masks, listener);
        double[] saliency = new double[n];
        for (int i = 0; i < samples; i++) {
            BitSet m = masks.get(i);
            for (int r = m.nextSetBit(0); r >= 0; r = m.nextSetBit(r + 1)) {
                saliency[r] += f[i];
            }
        }
        for (int r = 0; r < n; r++) {
            saliency[r] /= samples * keepProbability;
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("samples", samples);
        settings.put("keepProbability", keepProbability);
        settings.put("seed", seed);
        return new RegionAttribution(name(), RegionAttribution.rank(saliency), saliency, sampleScorer.images(),
                sampleScorer.calls(), settings);
    }
}
