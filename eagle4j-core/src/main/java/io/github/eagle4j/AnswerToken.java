package io.github.eagle4j;

/**
 * One token of an answer, as the model's tokenizer splits it in context.
 *
 * @param index position in the answer (0 = first answer token)
 * @param text  the token's text (may carry a leading-space marker such as {@code Ġ} or {@code ▁})
 * @param id    the vocabulary id
 */
public record AnswerToken(int index, String text, long id) {
}
