package io.github.eagle4j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A conversation to explain an answer in (docs/text.md, conversations): the messages before the question (a system
 * prompt, earlier user and assistant turns) and the question itself, the last user turn, which holds the image.
 *
 * @param history the messages before the question, in order
 * @param prompt  the question: the text of the last user turn
 */
public record Conversation(List<PromptMessage> history, String prompt) {
    public Conversation {
        history = List.copyOf(history);
        Objects.requireNonNull(prompt, "prompt");
    }

    /** A single question without earlier messages. */
    public static Conversation of(String prompt) {
        return new Conversation(List.of(), prompt);
    }

    /** Every message in order: the history, then the question as a user turn. */
    public List<PromptMessage> messages() {
        List<PromptMessage> out = new ArrayList<>(history);
        out.add(new PromptMessage(MessageRole.USER, prompt));
        return List.copyOf(out);
    }
}
