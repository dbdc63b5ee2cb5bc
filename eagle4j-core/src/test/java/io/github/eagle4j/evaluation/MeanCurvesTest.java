package io.github.eagle4j.evaluation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Resampling curves of different regions onto one area grid, and their mean and spread. */
class MeanCurvesTest {
    @Test
    void resamplesLinearlyFromTheStartPointAndHoldsTheLastValue() {
        // two regions of areas 0.5 and 0.4 (0.1 unlabelled): points (0, 0.1), (0.5, 0.6), (0.9, 0.8)
        double[] r = MeanCurves.resample(new double[]{0.5, 0.9}, new double[]{0.6, 0.8}, 0.1);
        assertThat(r).hasSize(21);
        assertThat(r[0]).isCloseTo(0.1, within(1e-12));
        assertThat(r[5]).isCloseTo(0.35, within(1e-12)); // area 0.25
        assertThat(r[10]).isCloseTo(0.6, within(1e-12));
        assertThat(r[14]).isCloseTo(0.7, within(1e-12)); // area 0.7
        assertThat(r[20]).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void meanAndPopulationSpreadPerPoint() {
        double[] a = new double[21];
        double[] b = new double[21];
        java.util.Arrays.fill(a, 0.2);
        java.util.Arrays.fill(b, 0.6);
        MeanCurves m = MeanCurves.of(List.of(a, b));
        assertThat(m.items()).isEqualTo(2);
        assertThat(m.mean()[7]).isCloseTo(0.4, within(1e-12));
        assertThat(m.sd()[7]).isCloseTo(0.2, within(1e-12));
        assertThat(MeanCurves.of(List.of()).mean()[0]).isNaN();
    }
}
