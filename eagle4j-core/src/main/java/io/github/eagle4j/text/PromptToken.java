package io.github.eagle4j.text;

/**
 * One token of the teacher-forced sequence that comes from a prompt message's own text (never an image token or a
 * token the chat template adds).
 *
 * @param position  the token's index in the sequence the model is fed
 * @param message   index of the message it comes from
 * @param charStart first character of the message text the token covers ({@code String} index)
 * @param charEnd   one past its last character; tokens of one multi-byte character share the same range
 */
public record PromptToken(int position, int message, int charStart, int charEnd) {
    public PromptToken {
        if (position < 0 || message < 0 || charStart < 0 || charEnd < charStart) {
            throw new IllegalArgumentException("bad prompt token: position " + position + ", message " + message
                    + ", characters " + charStart + ".." + charEnd);
        }
    }
}
