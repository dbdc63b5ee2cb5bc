package io.github.eagle4j.baselines;

import io.github.eagle4j.ExplainMethod;
import io.github.eagle4j.ProgressListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Every baseline on scorers whose right answer is known, plus cost and reproducibility. */
class BaselineMethodsTest {
    /** Six cells (3×2); the additive weights, ranked: 1, 5, 3, 4, 2, 0. */
    private static final double[] WEIGHTS = {0.01, 0.37, 0.05, 0.19, 0.11, 0.27};
    private static final int[] ADDITIVE_ORDER = {1, 5, 3, 4, 2, 0};

    private static RegionAttribution run(RegionAttributionMethod m, CellGame game) {
        return m.attribute(game.masker(), game, ProgressListener.NONE);
    }

    @Test
    void everyMethodRecoversTheAdditiveRanking() {
        // RISE's estimate is noisy (every other region's weight is noise to it), so it gets many masks
        List<RegionAttributionMethod> methods = List.of(new RiseAttribution(40_000, 1), new LimeAttribution(1000, 1),
                new KernelShapAttribution(40, 1), new OcclusionAttribution());
        for (RegionAttributionMethod m : methods) {
            CellGame game = CellGame.additive(2, 3, 0.0, WEIGHTS);
            RegionAttribution a = run(m, game);
            assertThat(a.order()).as(m.name()).containsExactly(ADDITIVE_ORDER);
        }
    }

    @Test
    void kernelShapOfAnAdditiveGameIsItsWeightsAndOcclusionItsDrops() {
        // 40 of the 64 coalitions: sizes 1 and 5 enumerated, the rest sampled; a linear game is fit exactly
        RegionAttribution shap = run(new KernelShapAttribution(40, 3), CellGame.additive(2, 3, 0.0, WEIGHTS));
        RegionAttribution occlusion = run(new OcclusionAttribution(), CellGame.additive(2, 3, 0.0, WEIGHTS));
        for (int r = 0; r < 6; r++) {
            assertThat(shap.scores()[r]).isCloseTo(WEIGHTS[r], within(1e-6));
            assertThat(occlusion.scores()[r]).isCloseTo(WEIGHTS[r], within(1e-12));
        }
    }

    @Test
    void kernelShapWithEveryCoalitionGivesExactShapleyValuesOfAnInteraction() {
        // p = 0.8 when cells 0 and 1 are both visible, plus 0.1 for cell 2: Shapley values 0.4, 0.4, 0.1, 0, 0, 0
        CellGame game = new CellGame(2, 3, s -> (s.get(0) && s.get(1) ? 0.8 : 0.0) + (s.get(2) ? 0.1 : 0.0));
        RegionAttribution a = run(new KernelShapAttribution(1000, 1), game);
        assertThat(a.imagesScored()).isEqualTo(64); // never more than the 2^6 distinct coalitions
        double[] expected = {0.4, 0.4, 0.1, 0, 0, 0};
        for (int r = 0; r < 6; r++) {
            assertThat(a.scores()[r]).as("region " + r).isCloseTo(expected[r], within(1e-6));
        }
    }

    @Test
    void aSingleDecisiveRegionIsRankedFirstByEveryMethod() {
        for (ExplainMethod method : List.of(ExplainMethod.RISE, ExplainMethod.LIME, ExplainMethod.KERNELSHAP,
                ExplainMethod.OCCLUSION)) {
            // 4×4 cells; only cell 9 matters
            CellGame game = new CellGame(4, 4, s -> s.get(9) ? 0.9 : 0.05);
            RegionAttribution a = run(RegionAttributionMethods.create(method, 200, 5), game);
            assertThat(a.order()[0]).as(method.cliName()).isEqualTo(9);
            assertThat(a.normalizedScores()[9]).isEqualTo(1.0);
        }
    }

    @Test
    void sameSeedSameResultOtherSeedOtherSamples() {
        for (ExplainMethod method : List.of(ExplainMethod.RISE, ExplainMethod.LIME, ExplainMethod.KERNELSHAP,
                ExplainMethod.RANDOM)) {
            CellGame game = CellGame.additive(4, 4, 0.0, new double[]{.01, .02, .03, .04, .05, .06, .07, .08, .01,
                    .02, .03, .04, .05, .06, .07, .08});
            RegionAttribution a = run(RegionAttributionMethods.create(method, 300, 11), game);
            RegionAttribution b = run(RegionAttributionMethods.create(method, 300, 11), game);
            RegionAttribution c = run(RegionAttributionMethods.create(method, 300, 12), game);
            assertThat(b.order()).as(method.cliName()).containsExactly(a.order());
            assertThat(b.scores()).as(method.cliName()).containsExactly(a.scores());
            assertThat(c.scores()).as(method.cliName()).isNotEqualTo(a.scores());
            assertThat(a.settings()).containsEntry("seed", 11L);
        }
    }

    @Test
    void theSampleBudgetIsSpentExactlyInCallsOfAtMostOneBatch() {
        for (ExplainMethod method : List.of(ExplainMethod.RISE, ExplainMethod.LIME, ExplainMethod.KERNELSHAP)) {
            for (int samples : new int[]{2, 7, 256, 601}) {
                CellGame game = new CellGame(4, 4, s -> 0.1 + 0.05 * s.cardinality());
                List<Integer> progress = new ArrayList<>();
                RegionAttribution a = RegionAttributionMethods.create(method, samples, 1)
                        .attribute(game.masker(), game, (placed, total, images) -> progress.add((int) images));
                String what = method.cliName() + " with " + samples;
                assertThat(a.imagesScored()).as(what).isEqualTo(samples);
                assertThat(game.images()).as(what).isEqualTo(samples);
                int expectedCalls = (samples + SampleScorer.BATCH - 1) / SampleScorer.BATCH;
                assertThat(game.calls).as(what).hasSize(expectedCalls).allMatch(n -> n <= SampleScorer.BATCH);
                assertThat(a.scorerCalls()).as(what).isEqualTo(expectedCalls);
                assertThat(progress).as(what).hasSize(expectedCalls).last().isEqualTo(samples);
            }
        }
        CellGame game = new CellGame(4, 4, s -> 0.5);
        assertThat(run(new OcclusionAttribution(), game).imagesScored()).isEqualTo(17);
        assertThat(game.calls).containsExactly(17);
        assertThat(run(new RandomAttribution(3), game).imagesScored()).isZero();
    }

    @Test
    void riseSaliencyIsTheMeanScoreOfTheMasksThatKeepTheRegionOverP() {
        // a constant scorer: every region's saliency is (masks keeping it / samples) · c / p ≈ c
        CellGame game = new CellGame(2, 3, s -> 0.6);
        RegionAttribution a = run(new RiseAttribution(4000, 0.25, 2), game);
        for (double s : a.scores()) {
            assertThat(s).isCloseTo(0.6, within(0.05));
        }
        assertThat(a.settings()).containsEntry("keepProbability", 0.25).containsEntry("samples", 4000);
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new RiseAttribution(0, 1)).hasMessageContaining("RISE").hasMessageContaining("0");
        assertThatThrownBy(() -> new RiseAttribution(10, 1.0, 1)).hasMessageContaining("keep probability");
        assertThatThrownBy(() -> new LimeAttribution(1, 1)).hasMessageContaining("LIME");
        assertThatThrownBy(() -> new KernelShapAttribution(1, 1)).hasMessageContaining("KernelSHAP");
        assertThatThrownBy(() -> RegionAttributionMethods.create(ExplainMethod.EAGLE, 10, 1))
                .hasMessageContaining("eagle");
        assertThatThrownBy(() -> ExplainMethod.parse("shap")).hasMessageContaining("kernelshap");
        assertThat(ExplainMethod.parse(" KernelSHAP ")).isEqualTo(ExplainMethod.KERNELSHAP);
    }

    @Test
    void rankingBreaksTiesByLowerIdAndEqualScoresMapToTheRankMap() {
        assertThat(RegionAttribution.rank(new double[]{0.2, 0.5, 0.2, 0.5})).containsExactly(1, 3, 0, 2);
        RegionAttribution flat = new RegionAttribution("x", new int[]{2, 0, 1}, new double[]{3, 3, 3}, 0, 0,
                java.util.Map.of());
        assertThat(flat.normalizedScores()).containsExactly(0.5, 0.0, 1.0);
    }
}
