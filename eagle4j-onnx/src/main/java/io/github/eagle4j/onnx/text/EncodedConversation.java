package io.github.eagle4j.onnx.text;

import io.github.eagle4j.AnswerToken;

import java.util.Arrays;
import java.util.List;

/**
 * A prompt and an answer as the model sees them: rendered by the chat template, the image placeholder expanded
 * to one token per image feature, tokenised.
 *
 * @param promptText   the rendered prompt with the generation prompt, image placeholder not expanded
 * @param fullText     the rendered conversation with the answer as the assistant turn, placeholder not expanded
 * @param promptIds    token ids of the prompt (image tokens expanded)
 * @param fullIds      token ids the decoder is teacher-forced with: the prompt's ids, then the answer's tokens up to
 *                     and including the first end-of-turn token (anything the template writes after it is dropped)
 * @param answerTokens the answer's tokens, {@code fullIds[answerStart() + i]} for token i
 */
public record EncodedConversation(String promptText, String fullText, long[] promptIds, long[] fullIds,
                                  List<AnswerToken> answerTokens) {
    public EncodedConversation {
        promptIds = promptIds.clone();
        fullIds = fullIds.clone();
        answerTokens = List.copyOf(answerTokens);
    }

    /** Position of the first answer token in {@link #fullIds()}; the prompt's length. */
    public int answerStart() {
        return promptIds.length;
    }

    /** A copy of the prompt's token ids. */
    @Override
    public long[] promptIds() {
        return promptIds.clone();
    }

    /** A copy of the teacher-forced token ids. */
    @Override
    public long[] fullIds() {
        return fullIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedConversation e && e.promptText.equals(promptText) && e.fullText.equals(fullText)
                && Arrays.equals(e.promptIds, promptIds) && Arrays.equals(e.fullIds, fullIds)
                && e.answerTokens.equals(answerTokens);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * promptText.hashCode() + fullText.hashCode()) + Arrays.hashCode(fullIds);
    }

    @Override
    public String toString() {
        return "EncodedConversation[" + promptIds.length + " prompt tokens, answer " + answerTokens + "]";
    }
}
