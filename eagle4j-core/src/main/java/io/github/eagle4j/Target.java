package io.github.eagle4j;

/**
 * One answer token whose probability the method explains.
 *
 * @param index position of the token in the answer's tokenisation (0 = first answer token)
 * @param token the token's text as the tokenizer spells it
 * @param id    the token id in the model's vocabulary
 */
public record Target(int index, String token, long id) {
}
