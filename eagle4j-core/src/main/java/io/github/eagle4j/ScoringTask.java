package io.github.eagle4j;

import io.github.eagle4j.text.Conversation;
import io.github.eagle4j.text.PromptMessage;

import java.util.List;
import java.util.Objects;

/**
 * The fixed text a {@link TokenScorer} is bound to: prompt, answer, the answer's tokens and the targets, and the
 * messages of a conversation before the prompt when there are any.
 *
 * @param prompt       the user prompt as given: the last user turn, the one with the image
 * @param answer       the answer text that is teacher-forced
 * @param answerTokens the answer's tokens, in order, as the tokenizer spells them
 * @param targets      the answer tokens whose probabilities are scored, in the order of the score columns
 * @param history      the conversation's messages before the prompt (system prompt, earlier turns), in order; empty
 *                     for a single question
 */
public record ScoringTask(String prompt, String answer, List<String> answerTokens, List<Target> targets,
                          List<PromptMessage> history) {
    /** A task for a single question, without earlier messages. */
    public ScoringTask(String prompt, String answer, List<String> answerTokens, List<Target> targets) {
        this(prompt, answer, answerTokens, targets, List.of());
    }

    public ScoringTask {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        answerTokens = List.copyOf(answerTokens);
        targets = List.copyOf(targets);
        history = List.copyOf(history);
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

    /** The whole conversation as the model reads it: the history, then the prompt as the last user turn. */
    public List<PromptMessage> messages() {
        return new Conversation(history, prompt).messages();
    }
}
