package io.github.eagle4j.diagnosis;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The minimal-correction scan of docs/method.md §10: given the answers re-generated with only the first k regions
 * of the order kept (k = 1..N), walk k = N, N−1, …, 1 — removing the lowest-ranked regions first — and stop at
 * the first answer that starts with the label word (case-sensitive prefix test, as the authors' evaluation).
 */
public final class CorrectionScan {
    private CorrectionScan() {
    }

    /**
     * True when {@code answer} starts with {@code labelWord}, case-sensitively ("Yes" for label yes in the
     * authors' models; the bundled tiny model answers in lower case, so its label words are {@code yes} and
     * {@code no}). Leading white space of the answer is ignored.
     */
    public static boolean startsWithLabel(String answer, String labelWord) {
        return answer.stripLeading().startsWith(labelWord);
    }

    /**
     * Scans the re-generated answers.
     *
     * @param labelWord      the correct answer's word, e.g. {@code no}
     * @param revisedAnswers index k−1: the answer with only the first k regions of {@code order} kept, k = 1..N
     * @param areaCurve      index k−1: the first k regions' share of the image's pixels
     * @param order          region ids, most important first (the explanation's order)
     * @throws IllegalArgumentException when the lengths differ or are 0, or the label word is blank
     */
    public static Correction scan(String labelWord, List<String> revisedAnswers, double[] areaCurve, int[] order) {
        Objects.requireNonNull(labelWord, "labelWord");
        if (labelWord.isBlank()) {
            throw new IllegalArgumentException("the label word is blank");
        }
        int n = revisedAnswers.size();
        if (n == 0 || areaCurve.length != n || order.length != n) {
            throw new IllegalArgumentException("expected one answer, area and region per k; got " + n + " answers, "
                    + areaCurve.length + " areas, " + order.length + " regions");
        }
        for (int k = n; k >= 1; k--) {
            if (startsWithLabel(revisedAnswers.get(k - 1), labelWord)) {
                double removed = k == n ? 0.0 : 1.0 - areaCurve[k - 1];
                return new Correction(k, removed, Arrays.copyOfRange(order, k, n), removed);
            }
        }
        return new Correction(0, 1.0, new int[0], 0.0);
    }
}
