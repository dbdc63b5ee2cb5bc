package io.github.eagle4j.evaluation;

import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.TokenScorer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scorer that remembers the probabilities of the masked images it scored, by kept-region set, for the searches
 * compared on one item: they all mask the same image with the same regions and fill, and their first steps (and
 * often later ones) ask for the same images. Only the images not seen yet go to the wrapped scorer, still in one
 * call per batch. Images of another image, region set or fill, and plain images, pass through uncached.
 * Not thread-safe (the searches of an item run one after the other); closing it does not close the wrapped scorer.
 */
public final class ReusedImages implements TokenScorer {
    private final TokenScorer scorer;
    private final RgbImage image;
    private final RegionSet regions;
    private final io.github.eagle4j.Fill fill;
    private final Map<BitSet, double[]> seen = new HashMap<>();
    private long computed;

    /** Caches the masked images of {@code image} over {@code regions} with {@code fill}. */
    public ReusedImages(TokenScorer scorer, RgbImage image, RegionSet regions, io.github.eagle4j.Fill fill) {
        this.scorer = scorer;
        this.image = image;
        this.regions = regions;
        this.fill = fill;
    }

    /** Images sent to the wrapped scorer so far (each kept set once). */
    public long imagesComputed() {
        return computed;
    }

    @Override
    public ScoringTask task() {
        return scorer.task();
    }

    @Override
    public double[][] score(List<RgbImage> images) {
        computed += images.size();
        return scorer.score(images);
    }

    @Override
    public double[][] scoreMasked(MaskedBatch batch) {
        if (batch.original() != image || batch.regions() != regions || batch.fill() != fill) {
            computed += batch.size();
            return scorer.scoreMasked(batch);
        }
        List<BitSet> sets = batch.keptSets();
        double[][] out = new double[sets.size()][];
        List<BitSet> missing = new ArrayList<>();
        Map<BitSet, Integer> firstAt = new HashMap<>();
        for (int i = 0; i < out.length; i++) {
            BitSet kept = sets.get(i);
            double[] row = seen.get(kept);
            if (row != null) {
                out[i] = row.clone();
            } else if (firstAt.putIfAbsent(kept, missing.size()) == null) {
                missing.add(kept);
            }
        }
        if (!missing.isEmpty()) {
            double[][] fresh = scorer.scoreMasked(new MaskedBatch(batch.masker(), missing));
            computed += missing.size();
            for (int j = 0; j < missing.size(); j++) {
                seen.put(missing.get(j), fresh[j].clone());
            }
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null) {
                    out[i] = fresh[firstAt.get(sets.get(i))].clone();
                }
            }
        }
        return out;
    }

    @Override
    public int maxBatchSize() {
        return scorer.maxBatchSize();
    }

    @Override
    public ScorerDescription description() {
        return scorer.description();
    }

    @Override
    public Optional<String> costEstimate(long images) {
        return scorer.costEstimate(images);
    }

    @Override
    public Map<String, Object> statistics() {
        return scorer.statistics();
    }

    @Override
    public Optional<String> costSpent() {
        return scorer.costSpent();
    }

    @Override
    public Optional<FrameLayout> frames() {
        return scorer.frames();
    }

    @Override
    public void close() {
        // the wrapped scorer belongs to the caller
    }
}
