package io.github.eagle4j.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LogitSurrogateTest {

    /** Images whose probability is exactly logit-additive: the fit recovers the model's ranking of the regions. */
    @Test
    void recoversALogitAdditiveModel() {
        int n = 12;
        double[] w = new double[n];
        for (int c = 0; c < n; c++) {
            w[c] = (c - 5.5) * 0.4; // region 11 helps most, region 0 hurts most
        }
        LogitSurrogate s = new LogitSurrogate(n, 1);
        List<BitSet> kept = randomSets(n, 200, 0.5, 7);
        s.addAll(kept, scored(kept, k -> {
            double z = -0.5;
            for (int c = k.nextSetBit(0); c >= 0; c = k.nextSetBit(c + 1)) {
                z += w[c];
            }
            return LogitSurrogate.sigmoid(z);
        }));
        s.fit();
        for (int c = 1; c < n; c++) {
            assertThat(s.weight(0, c)).as("region " + c).isGreaterThan(s.weight(0, c - 1));
        }
        BitSet some = set(2, 7, 11);
        double z = -0.5 + w[2] + w[7] + w[11];
        assertThat(LogitSurrogate.sigmoid(s.logitOf(some)[0])).isCloseTo(LogitSurrogate.sigmoid(z), within(0.05));
    }

    /**
     * A colour word: any one piece of the object (regions 1, 4, 6) restores it. Through the logistic link the fit
     * predicts a single piece to restore most of it, all seven other regions without a piece to lose it, and the
     * full image (three pieces) to be sure of it: a linear model of the probability cannot have all three.
     */
    @Test
    void holdsRedundancyThroughTheLogisticLink() {
        int n = 10;
        List<Integer> pieces = List.of(1, 4, 6);
        LogitSurrogate s = new LogitSurrogate(n, 1);
        List<BitSet> kept = randomSets(n, 120, 0.25, 3);
        for (BitSet k : new ArrayList<>(kept)) {
            kept.add(KeptSets.complement(k, n));
        }
        s.addAll(kept, scored(kept, k -> pieces.stream().anyMatch(k::get) ? 0.99 : 0.02));
        s.fit();
        for (int piece : pieces) {
            assertThat(LogitSurrogate.sigmoid(s.logitOf(set(piece))[0])).as("piece " + piece).isGreaterThan(0.5);
        }
        BitSet withoutPieces = KeptSets.all(n);
        pieces.forEach(withoutPieces::clear);
        assertThat(LogitSurrogate.sigmoid(s.logitOf(withoutPieces)[0])).isLessThan(0.5);
        assertThat(LogitSurrogate.sigmoid(s.logitOf(KeptSets.all(n))[0])).isGreaterThan(0.95);
    }

    /** Same images in the same order, same weights, bit for bit: the search built on it stays deterministic. */
    @Test
    void sameImagesSameFit() {
        int n = 9;
        List<BitSet> kept = randomSets(n, 60, 0.4, 11);
        double[][] probs = scored(kept, k -> 0.1 + 0.8 * k.cardinality() / n);
        LogitSurrogate a = new LogitSurrogate(n, 1);
        LogitSurrogate b = new LogitSurrogate(n, 1);
        a.addAll(kept, probs);
        b.addAll(kept, probs);
        a.fit();
        b.fit();
        for (int c = 0; c < n; c++) {
            assertThat(a.weight(0, c)).isEqualTo(b.weight(0, c));
        }
        assertThat(a.intercept(0)).isEqualTo(b.intercept(0));
    }

    private static List<BitSet> randomSets(int n, int count, double density, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<BitSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BitSet k = new BitSet(n);
            for (int c = 0; c < n; c++) {
                if (r.nextDouble() < density) {
                    k.set(c);
                }
            }
            out.add(k);
        }
        return out;
    }

    private static double[][] scored(List<BitSet> kept, java.util.function.ToDoubleFunction<BitSet> p) {
        double[][] out = new double[kept.size()][];
        for (int i = 0; i < kept.size(); i++) {
            out[i] = new double[] {p.applyAsDouble(kept.get(i))};
        }
        return out;
    }

    private static BitSet set(int... ids) {
        BitSet s = new BitSet();
        for (int i : ids) {
            s.set(i);
        }
        return s;
    }
}
