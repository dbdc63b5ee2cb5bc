package io.github.eagle4j.evaluation.output;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.SearchKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pre-run image budget matches the counts of docs/method.md §5–§6. */
class ImageBudgetTest {
    @Test
    void efficientCountsOfTheSpecTable() {
        assertThat(ImageBudget.efficient(6, 2, 2, 2)).isEqualTo(26);
        assertThat(ImageBudget.efficient(10, 3, 2, 3)).isEqualTo(58);
        assertThat(ImageBudget.efficient(33, 8, 4, 10)).isEqualTo(416);
        assertThat(ImageBudget.efficient(48, 6, 4, 15)).isEqualTo(560);
        assertThat(ImageBudget.efficient(64, 10, 8, 5)).isEqualTo(1412);
        assertThat(ImageBudget.efficient(125, 8, 4, 10)).isEqualTo(2264);
    }

    @Test
    void fullGreedyIsNTimesNPlusOne() {
        assertThat(ImageBudget.upperBound(ExplainOptions.defaults(), 64)).isEqualTo(4160);
        assertThat(ImageBudget.upperBound(ExplainOptions.builder().search(SearchKind.LAZY).build(), 6)).isEqualTo(44);
    }
}
