package io.github.eagle4j.diagnosis;

import io.github.eagle4j.Explanation;

import java.util.List;

/**
 * The diagnosis of one yes/no (or short) answer (docs/method.md §10).
 *
 * @param labelWord      the correct answer's word as the model spells it (e.g. {@code no}, or {@code No})
 * @param modelAnswer    the model's greedy answer on the intact image
 * @param hallucinated   true when the answer does not start with the label word
 * @param explanation    the explanation of the correct answer's token at answer position 0
 * @param revisedAnswers index k−1: the answer with only the first k regions of the order kept (k = 1..N);
 *                       empty when the answer was not hallucinated (nothing to correct)
 * @param correction     the minimal correction, or {@code null} when the answer was not hallucinated
 * @param generations    answers generated (the first answer plus the re-generations)
 * @param elapsedMs      wall time of the whole diagnosis
 */
public record Diagnosis(String labelWord, String modelAnswer, boolean hallucinated, Explanation explanation,
                        List<String> revisedAnswers, Correction correction, int generations, long elapsedMs) {
    public Diagnosis {
        revisedAnswers = List.copyOf(revisedAnswers);
    }
}
