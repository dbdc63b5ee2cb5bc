package io.github.eagle4j.search;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers every scored kept-region set of one explanation, so that several searches over the same image (the
 * joint one and one per answer token, {@code --each-token}) pay for an image once: one image gives every target's
 * probability. Only the images not seen before reach the model, still one call per batch.
 */
public final class SharedImages implements KeptRegionsScorer {
    private final KeptRegionsScorer scorer;
    /** In the order scored, so what is handed on from it is deterministic. */
    private final Map<BitSet, double[]> seen = new LinkedHashMap<>();
    private long imagesScored;
    private int calls;

    public SharedImages(KeptRegionsScorer scorer) {
        this.scorer = scorer;
    }

    @Override
    public int regionCount() {
        return scorer.regionCount();
    }

    @Override
    public int targetCount() {
        return scorer.targetCount();
    }

    /** Images the model scored (each distinct kept set once). */
    public long imagesScored() {
        return imagesScored;
    }

    /** Calls that reached the model. */
    public int calls() {
        return calls;
    }

    @Override
    public double[][] scoreKept(List<BitSet> keptRegions) {
        double[][] out = new double[keptRegions.size()][];
        List<BitSet> missing = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        Map<BitSet, Integer> inBatch = new HashMap<>();
        for (int i = 0; i < out.length; i++) {
            BitSet key = keptRegions.get(i);
            double[] row = seen.get(key);
            if (row != null) {
                out[i] = row.clone();
            } else if (!inBatch.containsKey(key)) {
                inBatch.put(key, missing.size());
                missing.add(key);
                where.add(i);
            } else {
                where.add(i);
            }
        }
        if (!missing.isEmpty()) {
            double[][] rows = scorer.scoreKept(missing);
            calls++;
            imagesScored += missing.size();
            for (int j = 0; j < missing.size(); j++) {
                seen.put((BitSet) missing.get(j).clone(), rows[j].clone());
            }
            for (int i : where) {
                out[i] = seen.get(keptRegions.get(i)).clone();
            }
        }
        return out;
    }

    /** How many distinct entries of {@code keptRegions} were scored already. */
    public long countScored(List<BitSet> keptRegions) {
        return keptRegions.stream().distinct().filter(seen::containsKey).count();
    }

    /** Every image scored so far, in the order scored: its kept regions. */
    public List<BitSet> keptSets() {
        List<BitSet> out = new ArrayList<>(seen.size());
        for (BitSet k : seen.keySet()) {
            out.add((BitSet) k.clone());
        }
        return out;
    }

    /** Every image scored so far, in the order of {@link #keptSets()}: target t's probability, as one-column rows. */
    public double[][] column(int t) {
        checkTarget(t);
        double[][] out = new double[seen.size()][];
        int i = 0;
        for (double[] row : seen.values()) {
            out[i++] = new double[] {row[t]};
        }
        return out;
    }

    private void checkTarget(int t) {
        if (t < 0 || t >= targetCount()) {
            throw new IllegalArgumentException("target " + t + " is outside 0.." + (targetCount() - 1));
        }
    }

    /** The view of one target's column: a scorer with a single target over the same shared images. */
    public KeptRegionsScorer target(int t) {
        checkTarget(t);
        return new KeptRegionsScorer() {
            @Override
            public int regionCount() {
                return SharedImages.this.regionCount();
            }

            @Override
            public int targetCount() {
                return 1;
            }

            @Override
            public double[][] scoreKept(List<BitSet> keptRegions) {
                double[][] rows = SharedImages.this.scoreKept(keptRegions);
                double[][] out = new double[rows.length][];
                for (int i = 0; i < rows.length; i++) {
                    out[i] = new double[] {rows[i][t]};
                }
                return out;
            }
        };
    }
}
