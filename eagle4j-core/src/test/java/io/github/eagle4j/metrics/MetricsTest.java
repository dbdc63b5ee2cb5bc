package io.github.eagle4j.metrics;

import io.github.eagle4j.Exactness;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.Target;
import io.github.eagle4j.search.SearchStep;
import io.github.eagle4j.search.SearchTrace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The hand-worked and authors'-code examples of docs/method.md §8–§9. */
class MetricsTest {
    private static final double EPS = 1e-6;

    /** A trace from per-step per-token tables. */
    static SearchTrace trace(int[] order, double[] objective, double[][] ins, double[][] del, double[] area,
                             double[] full, double[] blank) {
        List<SearchStep> steps = new ArrayList<>();
        for (int k = 0; k < order.length; k++) {
            steps.add(new SearchStep(order[k], objective[k], ins[k], del[k], area[k], false));
        }
        return new SearchTrace(steps, full, blank, 0, 0, Exactness.EXACT, false);
    }

    /** Worked example A of §5 (its table). */
    static SearchTrace exampleA() {
        return trace(new int[]{0, 2, 1, 3, 5, 4},
                new double[]{0.71, 1.01, 1.26, 1.41, 1.54, 1.64},
                new double[][]{{0.40, 0.25}, {0.60, 0.35}, {0.65, 0.55}, {0.65, 0.70}, {0.70, 0.78}, {0.80, 0.78}},
                new double[][]{{0.50, 0.73}, {0.30, 0.63}, {0.25, 0.43}, {0.25, 0.28}, {0.20, 0.20}, {0.10, 0.20}},
                new double[]{2 / 24.0, 6 / 24.0, 9 / 24.0, 14 / 24.0, 20 / 24.0, 1.0},
                new double[]{0.80, 0.78}, new double[]{0.10, 0.20});
    }

    /** Worked example B of §5 (its table). */
    static SearchTrace exampleB() {
        return trace(new int[]{4, 1, 3, 0, 5, 2},
                new double[]{0.755, 1.255, 1.555, 1.655, 1.715, 1.765},
                new double[][]{{0.05, 0.12}, {0.65, 0.52}, {0.65, 0.82}, {0.75, 0.82}, {0.75, 0.88}, {0.80, 0.88}},
                new double[][]{{0.20, 0.46}, {0.20, 0.46}, {0.20, 0.16}, {0.10, 0.16}, {0.10, 0.10}, {0.05, 0.10}},
                new double[]{4 / 24.0, 7 / 24.0, 12 / 24.0, 14 / 24.0, 20 / 24.0, 1.0},
                new double[]{0.80, 0.88}, new double[]{0.05, 0.10});
    }

    @Test
    void aucAndHighestConfidenceOfTheNumericExample() {
        double[] area = {0.25, 0.5, 1.0};
        assertThat(Curve.insertionAuc(area, new double[]{0.6, 0.7, 0.8}, 0.1)).isCloseTo(0.625, within(1e-12));
        assertThat(Curve.deletionAuc(area, new double[]{0.3, 0.2, 0.1}, 0.8)).isCloseTo(0.275, within(1e-12));
        assertThat(Curve.highestConfidence(new double[]{0.6, 0.7, 0.8}, 0.1)).isEqualTo(0.8);
    }

    @Test
    void sensitiveTokensOfTheNumericExample() {
        // per-token insertion [[0.9,0.3],[1.0,0.4],[0.9,0.7]], deletion [[0.3,0.3],[0.2,0.2],[0.1,0.6]]:
        // full = last insertion row, blank = last deletion row; token 0 sensitive (0.8), token 1 not (0.1)
        SearchTrace t = trace(new int[]{0, 1, 2}, new double[]{0, 0, 0},
                new double[][]{{0.9, 0.3}, {1.0, 0.4}, {0.9, 0.7}},
                new double[][]{{0.3, 0.3}, {0.2, 0.2}, {0.1, 0.6}},
                new double[]{0.25, 0.5, 1.0}, new double[]{0.9, 0.7}, new double[]{0.1, 0.6});
        FaithfulnessMetrics m = FaithfulnessMetrics.of(t, 0.2);
        assertThat(m.sensitive()).isNotNull();
        assertThat(m.sensitive().targets()).containsExactly(0);
        assertThat(m.sensitive().insertionAuc()).isCloseTo(0.8375, within(1e-12));
        assertThat(m.sensitive().deletionAuc()).isCloseTo(0.2875, within(1e-12));
        assertThat(m.sensitive().highestConfidence()).isEqualTo(1.0);
    }

    @Test
    void noSensitiveTokenGivesNull() {
        SearchTrace t = trace(new int[]{0, 1}, new double[]{0, 0}, new double[][]{{0.5}, {0.6}},
                new double[][]{{0.5}, {0.5}}, new double[]{0.5, 1.0}, new double[]{0.6}, new double[]{0.5});
        assertThat(FaithfulnessMetrics.of(t, 0.2).sensitive()).isNull();
    }

    @Test
    void examplesAandB() {
        FaithfulnessMetrics a = FaithfulnessMetrics.of(exampleA(), 0.2);
        assertThat(a.insertionAuc()).isCloseTo(0.5908333, within(EPS));
        assertThat(a.deletionAuc()).isCloseTo(0.3491667, within(EPS));
        assertThat(a.highestConfidence()).isCloseTo(0.79, within(1e-12));
        FaithfulnessMetrics b = FaithfulnessMetrics.of(exampleB(), 0.2);
        assertThat(b.insertionAuc()).isCloseTo(0.5940, within(1e-4));
        assertThat(b.deletionAuc()).isCloseTo(0.2481, within(1e-4));
        assertThat(b.highestConfidence()).isCloseTo(0.84, within(1e-12));
    }

    @Test
    void attributionMapOfExampleA() {
        SearchTrace a = exampleA();
        // F0 = mean(1 − org + baseline) = mean(0.30, 0.42) = 0.36: gains 0.35, 0.30, 0.25, 0.15, 0.13, 0.10
        double f0 = io.github.eagle4j.search.Objective.DEFAULT.ofEmptySet(a.fullImageProbs(), a.blankImageProbs());
        assertThat(f0).isCloseTo(0.36, within(1e-12));
        double[] scores = AttributionMap.regionScores(a, f0);
        // by rank: 1, 0.677419, 0.408602, 0.247312, 0.107527, 0 (order 0,2,1,3,5,4)
        assertThat(scores[0]).isEqualTo(1.0);
        assertThat(scores[2]).isCloseTo(0.677419, within(EPS));
        assertThat(scores[1]).isCloseTo(0.408602, within(EPS));
        assertThat(scores[3]).isCloseTo(0.247312, within(EPS));
        assertThat(scores[5]).isCloseTo(0.107527, within(EPS));
        assertThat(scores[4]).isEqualTo(0.0);
    }

    @Test
    void attributionMapOfExampleB() {
        SearchTrace b = exampleB();
        double f0 = io.github.eagle4j.search.Objective.DEFAULT.ofEmptySet(b.fullImageProbs(), b.blankImageProbs());
        double[] s = AttributionMap.regionScores(b, f0);
        // order 4,1,3,0,5,2 → 1, 0.504950, 0.207921, 0.108911, 0.049505, 0
        assertThat(s[4]).isEqualTo(1.0);
        assertThat(s[1]).isCloseTo(0.504950, within(EPS));
        assertThat(s[3]).isCloseTo(0.207921, within(EPS));
        assertThat(s[0]).isCloseTo(0.108911, within(EPS));
        assertThat(s[5]).isCloseTo(0.049505, within(EPS));
        assertThat(s[2]).isEqualTo(0.0);
    }

    @Test
    void flatGainsGiveRankOneOnlyInsteadOfNaN() {
        SearchTrace t = trace(new int[]{1, 0, 2}, new double[]{0.5, 0.5, 0.5}, new double[][]{{0.5}, {0.5}, {0.5}},
                new double[][]{{0.5}, {0.5}, {0.5}}, new double[]{0.3, 0.6, 1.0}, new double[]{0.5}, new double[]{0.5});
        double[] s = AttributionMap.regionScores(t, 0.2);
        assertThat(s).containsExactly(0.0, 1.0, 0.0);
    }

    @Test
    void pixelMapGivesUnlabelledPixelsZero() {
        RegionSet r = RegionSet.fromLabels(3, 1, new int[]{0, RegionSet.UNLABELLED, 1});
        assertThat(AttributionMap.pixelMap(r, new double[]{1.0, 0.25})).containsExactly(1.0, 0.0, 0.25);
    }

    @Test
    void pointingGameTiesAreHitsAndBoxesAreEndExclusive() {
        // 12×12 map, two tied maxima: one at (2,2) inside the box, one at (11,11) outside → hit
        double[] map = new double[144];
        map[2 * 12 + 2] = 1.0;
        map[11 * 12 + 11] = 1.0;
        assertThat(PointingGame.hit(map, PointingGame.boxMask(12, 12, 0, 0, 5, 5))).isTrue();
        // a single maximum at column 10, row 0 and box [0,0,10,10] (columns 0..9) → miss
        double[] edge = new double[144];
        edge[10] = 1.0;
        assertThat(PointingGame.hit(edge, PointingGame.boxMask(12, 12, 0, 0, 10, 10))).isFalse();
        assertThat(PointingGame.hit(edge, PointingGame.boxMask(12, 12, 0, 0, 11, 10))).isTrue();
    }

    @Test
    void visualRelianceOfExamplesAandB() {
        List<Target> two = List.of(new Target(0, "x", 1), new Target(1, "y", 2));
        List<TokenReliance> a = TokenReliance.of(exampleA(), two);
        assertThat(a.get(0).visualReliance()).isCloseTo(0.511458, within(EPS));
        assertThat(a.get(1).visualReliance()).isCloseTo(0.370208, within(EPS));
        assertThat(a.get(0).visualRelianceNormalized()).isEqualTo(1.0);
        assertThat(a.get(1).visualRelianceNormalized()).isEqualTo(0.0);
        assertThat(a.get(0).blankImageProb()).isEqualTo(0.10);
        List<TokenReliance> b = TokenReliance.of(exampleB(), two);
        assertThat(b.get(0).visualReliance()).isCloseTo(0.5125, within(EPS));
        assertThat(b.get(1).visualReliance()).isCloseTo(0.525417, within(EPS));
    }

    @Test
    void relianceLabels() {
        assertThat(TokenReliance.label(0.5, 0.9, 0.05, 0.9)).isEqualTo(RelianceLabel.PERCEPTION);
        assertThat(TokenReliance.label(0.02, 0.95, 0.93, 0.96)).isEqualTo(RelianceLabel.LANGUAGE_PRIOR);
        assertThat(TokenReliance.label(0.01, 0.1, 0.1, 0.12)).isEqualTo(RelianceLabel.FLAT_LOW);
        assertThat(TokenReliance.label(0.12, 0.7, 0.4, 0.8)).isEqualTo(RelianceLabel.MIXED);
        // likely on the black image mid-sentence, but partial images move it a lot
        assertThat(TokenReliance.label(0.89, 1.0, 0.81, 1.0)).isEqualTo(RelianceLabel.PERCEPTION);
        assertThat(TokenReliance.label(0.2, 0.9, 0.85, 0.95)).isEqualTo(RelianceLabel.MIXED);
    }
}
