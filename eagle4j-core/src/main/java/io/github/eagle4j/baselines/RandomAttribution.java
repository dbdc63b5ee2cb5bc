package io.github.eagle4j.baselines;

import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.evaluation.Baselines;
import io.github.eagle4j.masking.Masker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A uniformly random order (Fisher–Yates with {@code new SplittableRandom(seed)}, the same permutation as
 * {@code eagle evaluate --compare random}); its scores are the rank map (first region 1, last 0). Scores no
 * image: it is the floor a method has to beat.
 */
public final class RandomAttribution implements RegionAttributionMethod {
    private final long seed;

    /** @param seed seed of the permutation */
    public RandomAttribution(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public RegionAttribution attribute(Masker masker, TokenScorer scorer, ProgressListener listener) {
        int n = masker.regions().regionCount();
        int[] order = Baselines.randomOrder(n, seed);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", seed);
        listener.onProgress(n, n, 0);
        return new RegionAttribution(name(), order, Baselines.rankScores(order), 0, 0, settings);
    }
}
