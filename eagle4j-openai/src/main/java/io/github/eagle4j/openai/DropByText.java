package io.github.eagle4j.openai;

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
 * <p>The API's tokens are unknown, so each word of the prompt stands for one token ({@link #promptTokens}); spans of
 * every mode are cut from those words, and a span is removed by its characters.
 */
final class DropByText {
    /** How the hosted API scorer masks prompt text, as provenance records it. */
    static final String DESCRIPTION = "drop by text (approximate): a removed span's words are deleted from the prompt text"
            + " with the space before them, so later words move up";

    private final String prompt;

    DropByText(String prompt) {
        this.prompt = prompt;
    }

    /** One stand-in token per word of the prompt: positions count the words, characters are the word's. */
    List<PromptToken> promptTokens() {
        List<PromptToken> out = new ArrayList<>();
        for (int[] word : SpanSplitter.units(prompt, SpanMode.WORDS)) {
            out.add(new PromptToken(out.size(), 0, word[0], word[1]));
        }
        return out;
    }

    /** The prompt with every span not in {@code kept} deleted, each with the whitespace before it (after it at the start). */
    String masked(List<TextSpan> spans, BitSet kept) {
        boolean[] removed = new boolean[prompt.length()];
        for (TextSpan s : spans) {
            if (kept.get(s.id()) || s.message() != 0) {
                continue;
            }
            int start = s.charStart();
            while (start > 0 && Character.isWhitespace(prompt.charAt(start - 1))) {
                start--;
            }
            java.util.Arrays.fill(removed, start, s.charEnd(), true);
        }
        StringBuilder out = new StringBuilder(prompt.length());
        for (int i = 0; i < prompt.length(); i++) {
            if (!removed[i]) {
                out.append(prompt.charAt(i));
            }
        }
        // words removed from the start leave the space that followed them
        return removed.length > 0 && removed[0] ? out.toString().stripLeading() : out.toString();
    }
}
