package io.github.eagle4j.diagnosis;

import java.util.List;

/**
 * AMCR and CSR over the hallucinated samples of a data set (docs/method.md §10, §15.7, §16.12).
 *
 * <ul>
 *   <li><b>AMCR</b>: mean mcr over <em>all</em> samples; a never-corrected sample counts as 1.</li>
 *   <li><b>CSR@budget, honest</b>: samples corrected within the budget (mcr ≤ budget) over all samples.</li>
 *   <li><b>CSR@budget, authors'</b>: the same count over the samples corrected at some k only — the
 *       denominator of the authors' evaluation script, which drops never-corrected samples and so inflates
 *       the rate. Undefined (NaN) when no sample was corrected.</li>
 * </ul>
 *
 * @param samples        hallucinated samples
 * @param corrected      samples corrected at some k
 * @param neverCorrected samples no k corrected
 * @param withinBudget   samples corrected by removing at most {@code budget} of the image
 * @param budget         the CSR budget (0.10 for CSR@10%)
 * @param amcr           the average minimal correction region (NaN when there are no samples)
 * @param csrHonest      {@code withinBudget / samples} (NaN when there are no samples)
 * @param csrAuthors     {@code withinBudget / corrected} (NaN when none was corrected)
 */
public record CorrectionStats(int samples, int corrected, int neverCorrected, int withinBudget, double budget,
                              double amcr, double csrHonest, double csrAuthors) {

    /** The paper's budget: a correction counts when at most 10 % of the image is removed. */
    public static final double DEFAULT_BUDGET = 0.10;

    /** Statistics of the corrections with the paper's 10 % budget. */
    public static CorrectionStats of(List<Correction> corrections) {
        return of(corrections, DEFAULT_BUDGET);
    }

    /**
     * Statistics of the corrections, in list order (the sum of mcr is taken in that order, so the same
     * samples in the same order always give the same bits).
     */
    public static CorrectionStats of(List<Correction> corrections, double budget) {
        if (!(budget >= 0 && budget <= 1)) {
            throw new IllegalArgumentException("budget must be in [0, 1], got " + budget);
        }
        int n = corrections.size();
        int corrected = 0;
        int within = 0;
        double sum = 0;
        for (Correction c : corrections) {
            sum += c.mcr();
            if (c.corrected()) {
                corrected++;
            }
            if (c.withinBudget(budget)) {
                within++;
            }
        }
        double amcr = n == 0 ? Double.NaN : sum / n;
        double honest = n == 0 ? Double.NaN : (double) within / n;
        double authors = corrected == 0 ? Double.NaN : (double) within / corrected;
        return new CorrectionStats(n, corrected, n - corrected, within, budget, amcr, honest, authors);
    }
}
