package io.github.eagle4j;

import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.search.KeptRegionsScorer;

import java.util.BitSet;
import java.util.List;

/**
 * Bridges a search to a model: hands the kept-region sets of a batch to the {@link TokenScorer} as one
 * {@link MaskedBatch} (one call per batch), checking that the scorer answered with one row per image.
 */
final class MaskedImageScorer implements KeptRegionsScorer {
    private final Masker masker;
    private final TokenScorer scorer;
    private final int regionCount;
    private final int targetCount;

    MaskedImageScorer(Masker masker, TokenScorer scorer, int regionCount) {
        this.masker = masker;
        this.scorer = scorer;
        this.regionCount = regionCount;
        this.targetCount = scorer.task().targets().size();
    }

    @Override
    public int regionCount() {
        return regionCount;
    }

    @Override
    public int targetCount() {
        return targetCount;
    }

    @Override
    public double[][] scoreKept(List<BitSet> keptRegions) {
        int images = keptRegions.size();
        double[][] scores = scorer.scoreMasked(new MaskedBatch(masker, keptRegions));
        if (scores == null || scores.length != images) {
            throw new ScoringException("scorer " + scorer.description().backend() + " returned "
                    + (scores == null ? "nothing" : scores.length + " rows") + " for " + images + " images");
        }
        for (double[] row : scores) {
            if (row == null || row.length != targetCount) {
                throw new ScoringException("scorer " + scorer.description().backend() + " returned a row of "
                        + (row == null ? 0 : row.length) + " probabilities for " + targetCount + " targets");
            }
        }
        return scores;
    }
}
