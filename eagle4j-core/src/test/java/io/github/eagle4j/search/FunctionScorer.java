package io.github.eagle4j.search;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A test fake: per-target probabilities computed from the set of visible regions by a plain function
 * (additive, interaction, three-way, ...). Counts calls and images and records each call's batch size and
 * kept sets, so tests can assert one call per step.
 */
final class FunctionScorer implements KeptRegionsScorer {
    private final int regionCount;
    private final int targetCount;
    private final Function<BitSet, double[]> probs;
    private final List<Integer> batchSizes = new ArrayList<>();
    private final List<List<BitSet>> batches = new ArrayList<>();
    private long images;

    FunctionScorer(int regionCount, int targetCount, Function<BitSet, double[]> probs) {
        this.regionCount = regionCount;
        this.targetCount = targetCount;
        this.probs = probs;
    }

    /** Target t's probability = base[t] + Σ_{r∈S} weights[t][r]. */
    static FunctionScorer additive(double[] base, double[][] weights) {
        int n = weights[0].length;
        return new FunctionScorer(n, base.length, s -> {
            double[] p = new double[base.length];
            for (int t = 0; t < base.length; t++) {
                p[t] = base[t];
                for (int r = s.nextSetBit(0); r >= 0; r = s.nextSetBit(r + 1)) {
                    p[t] += weights[t][r];
                }
            }
            return p;
        });
    }

    /** One target, probability = Σ_{r∈S} weights[r]. */
    static FunctionScorer additive(double... weights) {
        return additive(new double[] {0.0}, new double[][] {weights});
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
        batchSizes.add(keptRegions.size());
        List<BitSet> copy = new ArrayList<>();
        for (BitSet s : keptRegions) {
            copy.add((BitSet) s.clone());
        }
        batches.add(copy);
        images += keptRegions.size();
        double[][] out = new double[keptRegions.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = probs.apply(keptRegions.get(i));
        }
        return out;
    }

    int calls() {
        return batchSizes.size();
    }

    long images() {
        return images;
    }

    List<Integer> batchSizes() {
        return Collections.unmodifiableList(batchSizes);
    }

    List<List<BitSet>> batches() {
        return Collections.unmodifiableList(batches);
    }

    static boolean has(BitSet s, int... regions) {
        for (int r : regions) {
            if (!s.get(r)) {
                return false;
            }
        }
        return true;
    }

    static double in(BitSet s, int region) {
        return s.get(region) ? 1.0 : 0.0;
    }
}
