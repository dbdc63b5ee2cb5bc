package io.github.eagle4j.baselines;

import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.masking.Masker;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Single-region occlusion (Zeiler and Fergus, ECCV 2014, over regions instead of sliding squares): a region's
 * score is the drop of the score when it alone is removed, {@code f(V) − f(V∖{r})}; larger drop first.
 *
 * <p>Cost: N + 1 images (the intact image and the N one-region-removed images) in one batch of samples.
 * Deterministic.
 */
public final class OcclusionAttribution implements RegionAttributionMethod {
    @Override
    public String name() {
        return "occlusion";
    }

    @Override
    public RegionAttribution attribute(Masker masker, TokenScorer scorer, ProgressListener listener) {
        int n = masker.regions().regionCount();
        List<BitSet> kept = new ArrayList<>(n + 1);
        BitSet all = new BitSet(n);
        all.set(0, n);
        kept.add(all);
        for (int r = 0; r < n; r++) {
            BitSet s = (BitSet) all.clone();
            s.clear(r);
            kept.add(s);
        }
        SampleScorer sampleScorer = new SampleScorer(masker, scorer);
        double[] f = sampleScorer.meanScores(kept, listener);
        double[] drops = new double[n];
        for (int r = 0; r < n; r++) {
            drops[r] = f[0] - f[r + 1];
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        return new RegionAttribution(name(), RegionAttribution.rank(drops), drops, sampleScorer.images(),
                sampleScorer.calls(), settings);
    }
}
