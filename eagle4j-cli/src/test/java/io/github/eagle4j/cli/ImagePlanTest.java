package io.github.eagle4j.cli;

import io.github.eagle4j.ExplainMethod;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.SearchKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The images a progress line expects a search to score, and how sure it says it is. */
class ImagePlanTest {
    private static ExplainOptions.Builder search(SearchKind kind) {
        return ExplainOptions.builder().search(kind);
    }

    @Test
    void fullGreedyAndTheEfficientSearchAreExact() {
        assertThat(ImagePlan.of(search(SearchKind.FULL).build(), 64)).isEqualTo(new ImagePlan(4160, ImagePlan.Kind.EXACT));
        assertThat(ImagePlan.of(search(SearchKind.FULL).build(), 64).label()).isEqualTo("4160");
        ImagePlan efficient = ImagePlan.of(search(SearchKind.EFFICIENT).build(), 64);
        assertThat(efficient).isEqualTo(new ImagePlan(1412, ImagePlan.Kind.EXACT));
        assertThat(ImagePlan.of(search(SearchKind.FULL).earlyStop(0.01).build(), 64).kind())
                .isEqualTo(ImagePlan.Kind.AT_MOST);
    }

    @Test
    void lazyAndFastAreTheirBudgetOrAnEstimate() {
        ImagePlan budgeted = ImagePlan.of(search(SearchKind.FAST).budget(500).build(), 64);
        assertThat(budgeted).isEqualTo(new ImagePlan(500, ImagePlan.Kind.AT_MOST));
        assertThat(budgeted.label()).isEqualTo("<=500");
        ImagePlan fast = ImagePlan.of(search(SearchKind.FAST).build(), 64);
        assertThat(fast.kind()).isEqualTo(ImagePlan.Kind.ESTIMATE);
        assertThat(fast.images()).isEqualTo(666);
        assertThat(fast.label()).isEqualTo("~666");
        assertThat(ImagePlan.of(search(SearchKind.LAZY).build(), 64).images()).isEqualTo(1165);
        // never less than the first call of 2N + 2 images
        assertThat(ImagePlan.of(search(SearchKind.FAST).build(), 4).images()).isEqualTo(10);
    }

    @Test
    void aBaselineIsItsSamplesAndCurves() {
        ExplainOptions rise = ExplainOptions.builder().method(ExplainMethod.RISE).baselineSamples(100).build();
        assertThat(ImagePlan.of(rise, 16)).isEqualTo(new ImagePlan(100 + 32, ImagePlan.Kind.EXACT));
        ExplainOptions occlusion = ExplainOptions.builder().method(ExplainMethod.OCCLUSION).build();
        assertThat(ImagePlan.of(occlusion, 16)).isEqualTo(new ImagePlan(17 + 32, ImagePlan.Kind.EXACT));
    }

    @Test
    void theEtaComesFromImagesAndFromRegionsOnceAnEstimateIsExceeded() {
        ImagePlan plan = new ImagePlan(1000, ImagePlan.Kind.ESTIMATE);
        assertThat(plan.secondsLeft(10, 250, 3, 64)).isCloseTo(30, within(1e-9));
        assertThat(plan.secondsLeft(10, 1200, 48, 64)).isCloseTo(10.0 * 16 / 48, within(1e-9));
        assertThat(plan.secondsLeft(10, 0, 0, 64)).isNegative();
    }
}
