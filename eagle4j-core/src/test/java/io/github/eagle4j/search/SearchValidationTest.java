package io.github.eagle4j.search;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.ScoringException;

import java.util.BitSet;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every search rejects bad arguments and bad scores the same way. */
class SearchValidationTest {

    static Stream<RegionSearch> searches() {
        return Stream.of(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT, EarlyStop.DEFAULT),
                new EfficientSearch(Objective.DEFAULT, 2, 2, 2), new LazyGreedySearch(Objective.DEFAULT, 2),
                new LazyGreedySearch(Objective.DEFAULT, 2, EarlyStop.DEFAULT));
    }

    /** Example A, except that the image keeping exactly {@code bad} scores {@code value} on target 1. */
    private static FunctionScorer poisoned(BitSet bad, double value) {
        FunctionScorer a = Examples.exampleA();
        Function<BitSet, double[]> f = s -> {
            double[] p = a.scoreKept(List.of(s))[0];
            if (s.equals(bad)) {
                p[1] = value;
            }
            return p;
        };
        return new FunctionScorer(6, 2, f);
    }

    private static BitSet set(int... regions) {
        BitSet s = new BitSet();
        for (int r : regions) {
            s.set(r);
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("searches")
    void nanScoreIsAScoringException(RegionSearch search) {
        // {1,2,3,4,5} is the deletion image of region 0, scored by every search in its first call
        assertThatThrownBy(() -> search.search(poisoned(set(1, 2, 3, 4, 5), Double.NaN), Examples.areasAB(),
                ProgressListener.NONE))
                .isInstanceOf(ScoringException.class).hasMessageContaining("NaN").hasMessageContaining("target 1");
    }

    @ParameterizedTest
    @MethodSource("searches")
    void outOfRangeScoreIsAScoringException(RegionSearch search) {
        assertThatThrownBy(() -> search.search(poisoned(set(0), 1.5), Examples.areasAB(), ProgressListener.NONE))
                .isInstanceOf(ScoringException.class).hasMessageContaining("1.5").hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> search.search(poisoned(set(0), -0.01), Examples.areasAB(), ProgressListener.NONE))
                .isInstanceOf(ScoringException.class).hasMessageContaining("-0.01");
        assertThatThrownBy(() -> search.search(poisoned(set(0), Double.POSITIVE_INFINITY), Examples.areasAB(),
                ProgressListener.NONE)).isInstanceOf(ScoringException.class).hasMessageContaining("Infinity");
    }

    @ParameterizedTest
    @MethodSource("searches")
    void wrongShapeIsAScoringException(RegionSearch search) {
        KeptRegionsScorer missingRow = new KeptRegionsScorer() {
            @Override
            public int regionCount() {
                return 3;
            }

            @Override
            public int targetCount() {
                return 1;
            }

            @Override
            public double[][] scoreKept(List<BitSet> keptRegions) {
                return new double[keptRegions.size() - 1][1];
            }
        };
        assertThatThrownBy(() -> search.search(missingRow, Examples.equalAreas(3), ProgressListener.NONE))
                .isInstanceOf(ScoringException.class).hasMessageContaining("rows");
        FunctionScorer shortRow = new FunctionScorer(3, 2, s -> new double[] {0.5});
        assertThatThrownBy(() -> search.search(shortRow, Examples.equalAreas(3), ProgressListener.NONE))
                .isInstanceOf(ScoringException.class).hasMessageContaining("expected 2 targets");
    }

    @ParameterizedTest
    @MethodSource("searches")
    void badArgumentsAreRejected(RegionSearch search) {
        FunctionScorer one = FunctionScorer.additive(0.5);
        assertThatThrownBy(() -> search.search(one, new double[] {1.0}, ProgressListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 regions");
        assertThatThrownBy(() -> search.search(Examples.exampleA(), new double[] {0.5, 0.5}, ProgressListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 6 region areas");
        assertThatThrownBy(() -> search.search(FunctionScorer.additive(0.1, 0.2), new double[] {-0.5, 1.5},
                ProgressListener.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region 0");
        assertThatThrownBy(() -> search.search(Examples.exampleA(), Examples.areasAB(), null))
                .isInstanceOf(NullPointerException.class);
    }
}
