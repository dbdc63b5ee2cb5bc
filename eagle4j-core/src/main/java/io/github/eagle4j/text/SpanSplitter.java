package io.github.eagle4j.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Divides prompt messages into {@link TextSpan}s on the model's token boundaries.
 *
 * <p>First the message text is cut into units by the {@link SpanMode} alone (words, sentences or the whole message);
 * then every token is attached to the units whose characters it covers. Units that share a token join, so a span
 * is the smallest run of whole tokens that covers whole units: a token is never cut, and a unit is never split
 * between spans (a byte-level token that holds the end of one word and the start of the next makes the two words one
 * span). Tokens that cover only white space outside every unit belong to no span and are never masked.
 */
public final class SpanSplitter {
    private SpanSplitter() {
    }

    /**
     * Splits the messages.
     *
     * @param messages the prompt's messages, in order
     * @param tokens   the tokens of the messages' text, in sequence order (from the backend that will mask them)
     * @return spans with dense ids in prompt order; empty when the messages have no text
     * @throws IllegalArgumentException when a token names a message or characters that do not exist
     */
    public static List<TextSpan> split(List<PromptMessage> messages, List<PromptToken> tokens, SpanMode mode) {
        List<TextSpan> out = new ArrayList<>();
        for (int m = 0; m < messages.size(); m++) {
            PromptMessage msg = messages.get(m);
            List<PromptToken> own = new ArrayList<>();
            for (PromptToken t : tokens) {
                if (t.message() >= messages.size()) {
                    throw new IllegalArgumentException("token at position " + t.position() + " names message " + t.message()
                            + " of " + messages.size());
                }
                if (t.message() == m) {
                    if (t.charEnd() > msg.text().length()) {
                        throw new IllegalArgumentException("token at position " + t.position() + " covers characters "
                                + t.charStart() + ".." + t.charEnd() + " of a message " + msg.text().length() + " long");
                    }
                    own.add(t);
                }
            }
            splitMessage(m, msg, own, units(msg.text(), mode), out);
        }
        return out;
    }

    private static void splitMessage(int m, PromptMessage msg, List<PromptToken> tokens, List<int[]> units, List<TextSpan> out) {
        int spanFirst = -1;
        int spanLast = -1;
        int lastUnit = -1; // the last unit the open span covers
        for (int i = 0; i < tokens.size(); i++) {
            PromptToken t = tokens.get(i);
            int first = -1;
            int last = -1;
            for (int u = Math.max(0, lastUnit); u < units.size(); u++) {
                int[] unit = units.get(u);
                if (unit[0] >= t.charEnd()) {
                    break;
                }
                if (Math.max(unit[0], t.charStart()) < Math.min(unit[1], t.charEnd())) {
                    if (first < 0) {
                        first = u;
                    }
                    last = u;
                }
            }
            if (first < 0) {
                continue;
            }
            if (spanFirst >= 0 && first > lastUnit) {
                out.add(span(out.size(), m, msg, tokens, spanFirst, spanLast));
                spanFirst = -1;
            }
            if (spanFirst < 0) {
                spanFirst = i;
            }
            spanLast = i;
            lastUnit = Math.max(lastUnit, last);
        }
        if (spanFirst >= 0) {
            out.add(span(out.size(), m, msg, tokens, spanFirst, spanLast));
        }
    }

    private static TextSpan span(int id, int m, PromptMessage msg, List<PromptToken> tokens, int first, int last) {
        int cs = Integer.MAX_VALUE;
        int ce = 0;
        for (int i = first; i <= last; i++) {
            cs = Math.min(cs, tokens.get(i).charStart());
            ce = Math.max(ce, tokens.get(i).charEnd());
        }
        return new TextSpan(id, m, msg.role(), msg.text().substring(cs, ce), cs, ce,
                tokens.get(first).position(), tokens.get(last).position() + 1);
    }

    /** The units of {@code text} for {@code mode}, as {@code [start, end)} character ranges in order. */
    public static List<int[]> units(String text, SpanMode mode) {
        return switch (mode) {
            case WORDS -> words(text);
            case SENTENCES -> sentences(text);
            case MESSAGES -> message(text);
        };
    }

    private static List<int[]> message(String text) {
        int s = 0;
        int e = text.length();
        while (s < e && Character.isWhitespace(text.charAt(s))) {
            s++;
        }
        while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
            e--;
        }
        return s < e ? List.of(new int[] {s, e}) : List.of();
    }

    /** Word characters: letters, digits and combining marks; an apostrophe or hyphen between two of them joins them. */
    private static boolean wordChar(int cp) {
        int type = Character.getType(cp);
        return Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    private static List<int[]> words(String text) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            if (Character.isWhitespace(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            boolean word = wordChar(cp);
            int start = i;
            i += Character.charCount(cp);
            while (i < n) {
                int c = text.codePointAt(i);
                if (Character.isWhitespace(c)) {
                    break;
                }
                boolean w = wordChar(c);
                if (word && !w && (c == '\'' || c == '\u2019' || c == '-') && i + 1 < n
                        && wordChar(text.codePointAt(i + 1))) {
                    i += 1; // "don't", "yellow-green": one word
                    continue;
                }
                if (w != word) {
                    break;
                }
                i += Character.charCount(c);
            }
            out.add(new int[] {start, i});
        }
        return out;
    }

    private static boolean sentenceEnd(char c) {
        return c == '.' || c == '!' || c == '?' || c == '\u3002' || c == '\uFF01' || c == '\uFF1F';
    }

    private static List<int[]> sentences(String text) {
        List<int[]> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            int end = -1;
            while (i < n) {
                char c = text.charAt(i);
                if (c == '\n' || c == '\r') {
                    end = i;
                    break;
                }
                if (sentenceEnd(c)) {
                    int j = i;
                    while (j < n && sentenceEnd(text.charAt(j))) {
                        j++;
                    }
                    // full-width ends need no space after them; ASCII ends do ("3.5" and "e.g." stay inside)
                    if (j >= n || Character.isWhitespace(text.charAt(j)) || c >= '\u3000') {
                        end = j;
                        i = j;
                        break;
                    }
                    i = j;
                    continue;
                }
                i++;
            }
            if (end < 0) {
                end = n;
            }
            int e = end;
            while (e > start && Character.isWhitespace(text.charAt(e - 1))) {
                e--;
            }
            out.add(new int[] {start, e});
            i = Math.max(i, end);
        }
        return out;
    }
}
