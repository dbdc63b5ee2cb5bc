package io.github.eagle4j;

import java.util.List;

/**
 * A loaded vision-language model, as the CLI and applications see it: it answers, tokenises answers and
 * builds {@link TokenScorer}s. Backends (in-process ONNX Runtime, inference servers) implement it; the
 * method itself needs only the scorer.
 */
public interface VisionLanguageModel extends AutoCloseable {

    /**
     * The model's own greedy answer (no sampling).
     *
     * @param maxNewTokens upper bound on generated tokens; generation also stops at the end-of-turn token
     */
    Generation generate(RgbImage image, String prompt, int maxNewTokens);

    /**
     * The tokens of {@code answer} as they appear after the prompt in the rendered conversation, including
     * the end-of-turn token the model emits after the answer (it is a target at sentence level, method spec §1).
     */
    List<AnswerToken> answerTokens(String prompt, String answer);

    /** A scorer bound to the prompt, the answer and the answer tokens at {@code targetIndices}. */
    TokenScorer scorer(String prompt, String answer, List<Integer> targetIndices);

    /** Backend, model and precision, for provenance. */
    ScorerDescription description();

    @Override
    void close();

    /**
     * A greedy answer.
     *
     * @param text   the decoded answer without the end-of-turn token
     * @param tokens the generated tokens, end-of-turn token included when it was generated
     */
    record Generation(String text, List<AnswerToken> tokens) {
        public Generation {
            tokens = List.copyOf(tokens);
        }
    }
}
