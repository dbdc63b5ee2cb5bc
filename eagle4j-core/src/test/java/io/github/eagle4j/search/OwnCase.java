package io.github.eagle4j.search;

import static io.github.eagle4j.search.FunctionScorer.has;
import static io.github.eagle4j.search.FunctionScorer.in;

/**
 * A small hand-traced case of ours (N = 5, one target): a three-way term over {0, 1, 2}, so the objective
 * is not modular even for λ1 = λ2 and the full and efficient searches part ways. Traces in the tests.
 */
final class OwnCase {
    private OwnCase() {
    }

    static FunctionScorer scorer() {
        return new FunctionScorer(5, 1, s -> new double[] {
                0.5 * (has(s, 0, 1, 2) ? 1 : 0) + 0.15 * in(s, 0) + 0.10 * in(s, 1) + 0.05 * in(s, 2)
                        + 0.12 * in(s, 3) + 0.08 * in(s, 4)});
    }
}
