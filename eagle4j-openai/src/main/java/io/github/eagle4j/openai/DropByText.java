package io.github.eagle4j.openai;

import io.github.eagle4j.text.PromptMessage;
import io.github.eagle4j.text.PromptToken;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.SpanSplitter;
import io.github.eagle4j.text.TextSpan;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Text masking for hosted APIs, which take neither token ids nor a pad token (docs/text.md, "Hosted APIs"): a removed
 * span's words are deleted from the prompt text, with the space before them, so the model reads the prompt without
 * them. Unlike the in-process {@code drop} the words after a removed span move up by its length, so the numbers are
 * approximate, as everything a hosted API gives is.
 *
 * <p>The API's tokens are unknown, so each word of the conversation stands for one token ({@link #promptTokens}); spans
 * of every mode are cut from those words, and a span is removed by its characters.
 */
final class DropByText {
    /** How the hosted API scorer masks prompt text, as provenance records it. */
    static final String DESCRIPTION = "drop by text (approximate): a removed span's words are deleted from the prompt text"
            + " with the space before them, so later words move up";

    /** The conversation's messages, the question last ({@link io.github.eagle4j.ScoringTask#messages()}). */
    private final List<PromptMessage> messages;

    DropByText(List<PromptMessage> messages) {
        this.messages = List.copyOf(messages);
    }

    /**
     * One stand-in token per word of every message: positions count the words through the conversation, characters are
     * the word's in its message.
     */
    List<PromptToken> promptTokens() {
        List<PromptToken> out = new ArrayList<>();
        for (int m = 0; m < messages.size(); m++) {
            for (int[] word : SpanSplitter.units(messages.get(m).text(), SpanMode.WORDS)) {
                out.add(new PromptToken(out.size(), m, word[0], word[1]));
            }
        }
        return out;
    }

    /**
     * The messages with every span not in {@code kept} deleted, each with the whitespace before it (after it at the
     * start of its message); a message may be left empty.
     */
    List<PromptMessage> masked(List<TextSpan> spans, BitSet kept) {
        List<boolean[]> removed = new ArrayList<>();
        for (PromptMessage m : messages) {
            removed.add(new boolean[m.text().length()]);
        }
        for (TextSpan s : spans) {
            if (kept.get(s.id())) {
                continue;
            }
            String text = messages.get(s.message()).text();
            int start = s.charStart();
            while (start > 0 && Character.isWhitespace(text.charAt(start - 1))) {
                start--;
            }
            java.util.Arrays.fill(removed.get(s.message()), start, s.charEnd(), true);
        }
        List<PromptMessage> out = new ArrayList<>(messages.size());
        for (int m = 0; m < messages.size(); m++) {
            out.add(new PromptMessage(messages.get(m).role(), without(messages.get(m).text(), removed.get(m))));
        }
        return out;
    }

    private static String without(String text, boolean[] removed) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!removed[i]) {
                out.append(text.charAt(i));
            }
        }
        // words removed from the start leave the space that followed them
        return removed.length > 0 && removed[0] ? out.toString().stripLeading() : out.toString();
    }
}
