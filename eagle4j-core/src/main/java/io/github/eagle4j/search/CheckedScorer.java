package io.github.eagle4j.search;

import io.github.eagle4j.ScoringException;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Wraps a {@link KeptRegionsScorer} for one search run: counts images and calls, holds the run to its image
 * budget, and rejects malformed scores (wrong shape, NaN, outside [0, 1]) before they can reach the objective
 * and silently corrupt an order.
 */
final class CheckedScorer {
    private final KeptRegionsScorer scorer;
    private final int regionCount;
    private final int targetCount;
    private final long budget;
    private long imagesScored;
    private int calls;
    /** Every image scored through {@link #scoreOnce}, by kept set. */
    private final Map<BitSet, double[]> remembered = new HashMap<>();

    /**
     * @throws IllegalArgumentException when the scorer has fewer than 2 regions, no target, or the areas do
     *                                  not fit its regions
     */
    CheckedScorer(KeptRegionsScorer scorer, double[] regionAreas) {
        this(scorer, regionAreas, SearchBudget.UNLIMITED);
    }

    /**
     * @param budget images this run may score, or {@link SearchBudget#UNLIMITED}
     */
    CheckedScorer(KeptRegionsScorer scorer, double[] regionAreas, long budget) {
        this.budget = budget;
        if (scorer == null) {
            throw new IllegalArgumentException("scorer must not be null");
        }
        this.scorer = scorer;
        this.regionCount = scorer.regionCount();
        this.targetCount = scorer.targetCount();
        if (regionCount < 2) {
            throw new IllegalArgumentException("a search needs at least 2 regions, got " + regionCount);
        }
        if (targetCount < 1) {
            throw new IllegalArgumentException("a search needs at least 1 target, got " + targetCount);
        }
        if (regionAreas == null || regionAreas.length != regionCount) {
            throw new IllegalArgumentException("expected " + regionCount + " region areas, got "
                    + (regionAreas == null ? "null" : String.valueOf(regionAreas.length)));
        }
        for (int r = 0; r < regionAreas.length; r++) {
            if (!Double.isFinite(regionAreas[r]) || regionAreas[r] < 0) {
                throw new IllegalArgumentException("area of region " + r + " must be finite and >= 0, got "
                        + regionAreas[r]);
            }
        }
    }

    int regionCount() {
        return regionCount;
    }

    int targetCount() {
        return targetCount;
    }

    long imagesScored() {
        return imagesScored;
    }

    int calls() {
        return calls;
    }

    /** The budget, or {@link SearchBudget#UNLIMITED}. */
    long budget() {
        return budget;
    }

    /** Images the budget still allows ({@link Long#MAX_VALUE} without one). */
    long remaining() {
        return budget < 0 ? Long.MAX_VALUE : budget - imagesScored;
    }

    /**
     * Scores the images of one batch that no earlier {@link #scoreOnce} of this run scored, as a single scorer call
     * (none when every one was), and returns the rows of all of them: an image scored twice would only cost a
     * model evaluation (a search's middle and back end often ask again for images its first call had).
     *
     * @throws ScoringException when the scorer returns the wrong shape or a value that is not a probability
     */
    double[][] scoreOnce(List<BitSet> kept) {
        List<BitSet> missing = new ArrayList<>();
        Set<BitSet> inBatch = new HashSet<>();
        for (BitSet k : kept) {
            if (!remembered.containsKey(k) && inBatch.add(k)) {
                missing.add((BitSet) k.clone());
            }
        }
        if (!missing.isEmpty()) {
            double[][] rows = score(missing);
            for (int i = 0; i < rows.length; i++) {
                remembered.put(missing.get(i), rows[i]);
            }
        }
        double[][] out = new double[kept.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = remembered.get(kept.get(i)).clone();
        }
        return out;
    }

    /**
     * Scores one batch as a single scorer call.
     *
     * @throws ScoringException when the scorer returns the wrong shape or a value that is not a probability
     */
    double[][] score(List<BitSet> kept) {
        if (kept.size() > remaining()) {
            // a search must plan within its budget; scoring past it would break the promise made to the user
            throw new IllegalStateException("batch of " + kept.size() + " images exceeds the budget (" + remaining()
                    + " of " + budget + " left)");
        }
        double[][] rows = scorer.scoreKept(List.copyOf(kept));
        calls++;
        imagesScored += kept.size();
        if (rows == null || rows.length != kept.size()) {
            throw new ScoringException("scorer returned " + (rows == null ? "null" : rows.length + " rows")
                    + " for " + kept.size() + " images");
        }
        for (int i = 0; i < rows.length; i++) {
            double[] row = rows[i];
            if (row == null || row.length != targetCount) {
                throw new ScoringException("scorer returned " + (row == null ? "no row" : row.length + " probabilities")
                        + " for image " + i + " of " + rows.length + ", expected " + targetCount + " targets");
            }
            for (int t = 0; t < row.length; t++) {
                double v = row[t];
                // NaN fails both comparisons, so test it explicitly to name it
                if (Double.isNaN(v) || v < 0.0 || v > 1.0) {
                    throw new ScoringException("scorer returned " + v + " for image " + i + " of " + rows.length
                            + ", target " + t + ": probabilities must be finite and in [0, 1]");
                }
            }
            // the scorer may reuse its arrays; the trace must not change under it
            rows[i] = row.clone();
        }
        return rows;
    }
}
