package io.github.eagle4j.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Assertions on a {@link SearchTrace} against a table of docs/method.md. */
final class TraceAssert {
    static final double EPS = 1e-9;

    private TraceAssert() {
    }

    static void assertObjectives(SearchTrace trace, double... f) {
        assertThat(trace.steps()).hasSize(f.length);
        for (int k = 0; k < f.length; k++) {
            assertThat(trace.steps().get(k).objective()).as("F_%d", k + 1).isCloseTo(f[k], within(EPS));
        }
    }

    static void assertInsertionMeans(SearchTrace trace, double... v) {
        for (int k = 0; k < v.length; k++) {
            assertThat(trace.steps().get(k).insertionMean()).as("ins_%d", k + 1).isCloseTo(v[k], within(EPS));
        }
    }

    static void assertDeletionMeans(SearchTrace trace, double... v) {
        for (int k = 0; k < v.length; k++) {
            assertThat(trace.steps().get(k).deletionMean()).as("del_%d", k + 1).isCloseTo(v[k], within(EPS));
        }
    }

    static void assertAreas(SearchTrace trace, double... v) {
        for (int k = 0; k < v.length; k++) {
            assertThat(trace.steps().get(k).area()).as("area_%d", k + 1).isCloseTo(v[k], within(EPS));
        }
    }

    /** Per-token vectors, one row per step. */
    static void assertInsertionTokens(SearchTrace trace, double[][] rows) {
        for (int k = 0; k < rows.length; k++) {
            assertVector("ins tokens " + (k + 1), trace.steps().get(k).insertionProbs(), rows[k]);
        }
    }

    static void assertDeletionTokens(SearchTrace trace, double[][] rows) {
        for (int k = 0; k < rows.length; k++) {
            assertVector("del tokens " + (k + 1), trace.steps().get(k).deletionProbs(), rows[k]);
        }
    }

    static void assertVector(String what, double[] actual, double... expected) {
        assertThat(actual).as(what).hasSize(expected.length);
        for (int t = 0; t < expected.length; t++) {
            assertThat(actual[t]).as("%s [%d]", what, t).isCloseTo(expected[t], within(EPS));
        }
    }

    static void assertNoneInterpolated(SearchTrace trace) {
        assertThat(trace.steps()).noneMatch(SearchStep::interpolated);
        assertThat(trace.approximate()).isFalse();
    }
}
