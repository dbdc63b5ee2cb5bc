package io.github.eagle4j.diagnosis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The minimal-correction scan, AMCR and CSR@10% of docs/method.md §10, with its numeric check. */
class CorrectionTest {
    private static final int[] ORDER = {7, 3, 5, 1};

    /** §10: label no; answers with 1..4 regions; areas 0.05, 0.30, 0.92, 1.0 → corrected at k = 3, mcr 0.08. */
    static Correction first() {
        return CorrectionScan.scan("No", List.of("Yes, a dog", "No, there is", "No.", "Yes, there is"),
                new double[]{0.05, 0.30, 0.92, 1.0}, ORDER);
    }

    /** §10: label yes; every answer "No" → never corrected, mcr 1. */
    static Correction second() {
        return CorrectionScan.scan("Yes", List.of("No", "No", "No", "No"), new double[]{0.1, 0.4, 0.8, 1.0}, ORDER);
    }

    /** §10: label no; "No", "Yes", "Yes", "Yes"; areas 0.2, 0.5, 0.7, 1.0 → corrected only at k = 1, mcr 0.8. */
    static Correction third() {
        return CorrectionScan.scan("No", List.of("No", "Yes", "Yes", "Yes"), new double[]{0.2, 0.5, 0.7, 1.0}, ORDER);
    }

    @Test
    void scanStopsAtTheLargestCorrectingK() {
        Correction a = first();
        assertThat(a.correctingK()).isEqualTo(3);
        assertThat(a.mcr()).isCloseTo(0.08, within(1e-12));
        assertThat(a.removedArea()).isEqualTo(a.mcr());
        assertThat(a.culpritRegions()).containsExactly(1);
        assertThat(a.corrected()).isTrue();
        assertThat(a.withinBudget(0.10)).isTrue();

        Correction b = second();
        assertThat(b.correctingK()).isZero();
        assertThat(b.mcr()).isEqualTo(1.0);
        assertThat(b.culpritRegions()).isEmpty();
        assertThat(b.corrected()).isFalse();
        assertThat(b.withinBudget(1.0)).isFalse();

        Correction c = third();
        assertThat(c.correctingK()).isEqualTo(1);
        assertThat(c.mcr()).isCloseTo(0.8, within(1e-12));
        assertThat(c.culpritRegions()).containsExactly(3, 5, 1);
        assertThat(c.withinBudget(0.10)).isFalse();
    }

    @Test
    void numericCheckOfTheMethodSpec() {
        CorrectionStats s = CorrectionStats.of(List.of(first(), second(), third()));
        assertThat(s.samples()).isEqualTo(3);
        assertThat(s.corrected()).isEqualTo(2);
        assertThat(s.neverCorrected()).isEqualTo(1);
        assertThat(s.withinBudget()).isEqualTo(1);
        assertThat(s.budget()).isEqualTo(0.10);
        // AMCR = (0.08 + 1 + 0.8) / 3 = 0.6267 over all samples
        assertThat(s.amcr()).isCloseTo(0.626667, within(1e-6));
        assertThat(String.format(java.util.Locale.ROOT, "%.4f", s.amcr())).isEqualTo("0.6267");
        // CSR@10%: 1/2 with the authors' denominator (corrected samples only), 1/3 honest (all samples)
        assertThat(String.format(java.util.Locale.ROOT, "%.2f %%", 100 * s.csrAuthors())).isEqualTo("50.00 %");
        assertThat(String.format(java.util.Locale.ROOT, "%.2f %%", 100 * s.csrHonest())).isEqualTo("33.33 %");
    }

    @Test
    void prefixTestIsCaseSensitive() {
        assertThat(CorrectionScan.startsWithLabel("No, there is", "No")).isTrue();
        assertThat(CorrectionScan.startsWithLabel("no", "No")).isFalse();
        assertThat(CorrectionScan.startsWithLabel("  yes", "yes")).isTrue();
        Correction lower = CorrectionScan.scan("No", List.of("no", "no"), new double[]{0.5, 1.0}, new int[]{0, 1});
        assertThat(lower.corrected()).isFalse();
    }

    @Test
    void fullImageAlreadyCorrectMeansNothingRemoved() {
        Correction c = CorrectionScan.scan("no", List.of("yes", "no"), new double[]{0.4, 0.9999999999999999},
                new int[]{1, 0});
        assertThat(c.correctingK()).isEqualTo(2);
        assertThat(c.mcr()).isZero();
        assertThat(c.culpritRegions()).isEmpty();
    }

    @Test
    void emptyStatisticsAreUndefinedNotZero() {
        CorrectionStats s = CorrectionStats.of(List.of());
        assertThat(s.amcr()).isNaN();
        assertThat(s.csrHonest()).isNaN();
        assertThat(s.csrAuthors()).isNaN();
        CorrectionStats never = CorrectionStats.of(List.of(second()));
        assertThat(never.amcr()).isEqualTo(1.0);
        assertThat(never.csrHonest()).isZero();
        assertThat(never.csrAuthors()).isNaN();
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThatThrownBy(() -> CorrectionScan.scan("no", List.of("no"), new double[]{0.5, 1.0}, new int[]{0, 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CorrectionScan.scan(" ", List.of("no"), new double[]{1.0}, new int[]{0}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
