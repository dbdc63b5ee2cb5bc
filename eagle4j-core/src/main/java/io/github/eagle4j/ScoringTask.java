package io.github.eagle4j;

import java.util.List;
import java.util.Objects;

/**
 * The fixed text a {@link TokenScorer} is bound to: prompt, answer, the answer's tokens and the targets.
 *
 * @param prompt       the user prompt as given
 * @param answer       the answer text that is teacher-forced
 * @param answerTokens the answer's tokens, in order, as the tokenizer spells them
 * @param targets      the answer tokens whose probabilities are scored, in the order of the score columns
 */
public record ScoringTask(String prompt, String answer, List<String> answerTokens, List<Target> targets) {
    public ScoringTask {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        answerTokens = List.copyOf(answerTokens);
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one target token is needed");
        }
        for (Target t : targets) {
            if (t.index() < 0 || t.index() >= answerTokens.size()) {
                throw new IllegalArgumentException("target index " + t.index() + " is outside the answer (0.."
                        + (answerTokens.size() - 1) + ")");
            }
        }
    }
}
