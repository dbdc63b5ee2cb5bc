package io.github.eagle4j.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;

class SharedImagesTest {
    private static BitSet set(int... ids) {
        BitSet s = new BitSet();
        for (int i : ids) {
            s.set(i);
        }
        return s;
    }

    @Test
    void eachKeptSetReachesTheModelOnceAndEveryTargetViewReadsIt() {
        FunctionScorer model = Examples.exampleA();
        SharedImages shared = new SharedImages(model);

        double[][] first = shared.scoreKept(List.of(set(0), set(1), set(0)));
        assertThat(model.images()).isEqualTo(2); // the duplicate in the batch is scored once
        assertThat(first[0]).containsExactly(first[2]);
        assertThat(first[0]).containsExactly(0.40, 0.25);

        double[][] column = shared.target(1).scoreKept(List.of(set(1), set(2)));
        assertThat(model.images()).isEqualTo(3); // only {2} is new
        assertThat(model.calls()).isEqualTo(2);
        assertThat(column[0]).containsExactly(0.40);
        assertThat(shared.imagesScored()).isEqualTo(3);
        assertThat(shared.calls()).isEqualTo(2);

        shared.scoreKept(List.of(set(0), set(2)));
        assertThat(model.calls()).isEqualTo(2); // all cached: no call
    }
}
