package io.github.eagle4j.baselines;

import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.masking.Masker;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Scores a method's samples (kept-region sets) as masked images: {@link #BATCH} samples per scorer call (the
 * scorer splits a call into device batches of its own size), each image's score the mean target probability.
 * Counts images and calls, and rejects rows that are not probabilities before they reach a regression.
 */
final class SampleScorer {
    /**
     * Samples per scorer call: large enough that a scorer's own batches and parallel runs stay full, small enough
     * that progress is reported often. Masked images are built lazily, so a call holds only the kept sets.
     */
    static final int BATCH = 256;

    private final Masker masker;
    private final TokenScorer scorer;
    private final int targets;
    private long images;
    private int calls;

    SampleScorer(Masker masker, TokenScorer scorer) {
        this.masker = masker;
        this.scorer = scorer;
        this.targets = scorer.task().targets().size();
    }

    int regionCount() {
        return masker.regions().regionCount();
    }

    long images() {
        return images;
    }

    int calls() {
        return calls;
    }

    /**
     * The mean target probability of each sample's masked image, in order.
     *
     * @param listener told after each call, with the share of samples done scaled to the region count
     */
    double[] meanScores(List<BitSet> samples, ProgressListener listener) {
        double[] out = new double[samples.size()];
        int n = regionCount();
        for (int from = 0; from < samples.size(); from += BATCH) {
            int to = Math.min(samples.size(), from + BATCH);
            List<RgbImage> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(masker.keep(samples.get(i)));
            }
            double[][] rows = scorer.score(batch);
            calls++;
            images += batch.size();
            check(rows, batch.size());
            for (int i = 0; i < rows.length; i++) {
                double s = 0;
                for (double p : rows[i]) {
                    s += p;
                }
                out[from + i] = s / targets;
            }
            listener.onProgress((int) ((long) n * to / samples.size()), n, images);
        }
        return out;
    }

    private void check(double[][] rows, int expected) {
        String backend = scorer.description().backend();
        if (rows == null || rows.length != expected) {
            throw new ScoringException("scorer " + backend + " returned " + (rows == null ? "nothing" : rows.length
                    + " rows") + " for " + expected + " images");
        }
        for (int i = 0; i < rows.length; i++) {
            double[] row = rows[i];
            if (row == null || row.length != targets) {
                throw new ScoringException("scorer " + backend + " returned a row of " + (row == null ? 0 : row.length)
                        + " probabilities for " + targets + " targets");
            }
            for (double p : row) {
                // NaN fails both comparisons, so it is named explicitly
                if (Double.isNaN(p) || p < 0 || p > 1) {
                    throw new ScoringException("scorer " + backend + " returned " + p + " for image " + i + " of "
                            + rows.length + ": probabilities must be finite and in [0, 1]");
                }
            }
        }
    }
}
