package io.github.eagle4j;

import io.github.eagle4j.evaluation.Baselines;
import io.github.eagle4j.evaluation.OrderScore;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Explainer} with a baseline method: the same outputs as EAGLE's, its order scored by the same protocol. */
class BaselineExplainerTest {
    @Test
    void aBaselineExplanationIsItsOrderScoredLikeAnyOther() {
        for (ExplainMethod method : List.of(ExplainMethod.RISE, ExplainMethod.LIME, ExplainMethod.KERNELSHAP,
                ExplainMethod.OCCLUSION, ExplainMethod.RANDOM)) {
            ExplainerTest.AdditiveCellScorer scorer = new ExplainerTest.AdditiveCellScorer(0.05, 0.30, 0.01, 0.20, 0.10, 0.14);
            ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).method(method)
                    .baselineSamples(50).seed(4).build();
            RgbImage image = ExplainerTest.cells();
            Explanation e = new Explainer(options).explain(image, scorer);
            String m = method.cliName();

            assertThat(e.ordering().method().cliName()).as(m).isEqualTo(m);
            assertThat(e.ordering().search()).as(m).isNull();
            assertThat(e.ordering().orderedBy()).as(m).isEqualTo(m);
            long methodImages = switch (method) {
                case RISE, LIME -> 50;
                case KERNELSHAP -> 50; // 50 of the 64 coalitions of 6 regions
                case OCCLUSION -> 7;
                default -> 0;
            };
            assertThat(e.cost().forwardPasses()).as(m).isEqualTo(methodImages + 12);
            assertThat(scorer.batches.get(scorer.batches.size() - 1)).as(m).isEqualTo(12); // the curves: one call
            assertThat(e.ordering().method()).isEqualTo(method);
            assertThat(e.provenance().baseline().images()).isEqualTo(methodImages);

            OrderScore again = Baselines.score(m, e.curves().order(), new Masker(image, e.regions(), Fill.BLACK), scorer, 0.2, 0);
            assertThat(e.curves().insertionCurve()).as(m).containsExactly(again.insertionCurve());
            assertThat(e.curves().deletionCurve()).as(m).containsExactly(again.deletionCurve());
            assertThat(e.metrics().insertionAuc()).as(m).isEqualTo(again.insertionAuc());
            assertThat(e.metrics().deletionAuc()).as(m).isEqualTo(again.deletionAuc());
            assertThat(e.metrics().highestConfidence()).as(m).isEqualTo(again.highestConfidence());
            // the map's maximum is the first region of the order
            assertThat(e.regionScores()[e.curves().order()[0]]).as(m).isEqualTo(1.0);
            // EAGLE's objective along the order, λ1 = λ2 = 1
            double[] last = e.curves().insertionTokenCurves()[5];
            assertThat(e.curves().objectiveCurve()[5]).isCloseTo(last[0] + 1 - e.curves().deletionTokenCurves()[5][0],
                    org.assertj.core.api.Assertions.within(1e-12));
            if (method != ExplainMethod.RANDOM && method != ExplainMethod.RISE) {
                // the regression methods and occlusion find the additive order even from 50 samples (RISE's
                // estimate needs thousands here: BaselineMethodsTest)
                assertThat(e.curves().order()).as(m).containsExactly(1, 3, 5, 4, 0, 2);
            }
        }
    }

    @Test
    void eagleExplanationsNameTheirMethod() {
        Explanation e = new Explainer(ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).build())
                .explain(ExplainerTest.cells(), new ExplainerTest.AdditiveCellScorer(0.05, 0.30, 0.01, 0.20, 0.10, 0.14));
        assertThat(e.ordering().method()).isEqualTo(ExplainMethod.EAGLE);
        assertThat(e.ordering().orderedBy()).isEqualTo("full");
    }
}
