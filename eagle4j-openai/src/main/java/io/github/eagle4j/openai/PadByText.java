package io.github.eagle4j.openai;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.text.PromptToken;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.SpanSplitter;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextMaskBatch;
import io.github.eagle4j.text.TextSpan;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Text masking for servers that take only text (docs/text.md, "Servers"): a removed prompt word is sent as the pad
 * token's text, once per token of the word, so the server's tokenizer reads the pad token where the word's tokens
 * were and every other token, and every position, stays as it was.
 *
 * <p>Whether that holds depends on the tokenizer (a byte-level BPE word carries its leading space), so it is found
 * and checked with the server's own tokenizer before any scoring: for each word (a unit of {@link SpanMode#WORDS}),
 * the prompt is tokenised with the word, or the word and the space before it, replaced by one pad text, which gives
 * the number of tokens {@code k} the word has; then with {@code k} pad texts, which must give the intact prompt's ids
 * with exactly {@code k} consecutive ids replaced by the pad token's. Last, the prompt with every word replaced must
 * give the intact ids with every word's tokens replaced. A word for which neither form checks out is refused: the
 * masking would not be exact. With a conversation every message's words are checked so, each in its own message, the
 * other messages as they are.
 */
final class PadByText {
    /** How the server scorers mask prompt text, as provenance records it. */
    static final String DESCRIPTION =
            "pad by text: each token of a removed word is sent as the pad token's text, checked word by word with /tokenize";

    /**
     * The checks one server model has made, by prompt: every scorer of a prompt (an explanation's, an evaluation's items
     * with the same question) shares one check instead of repeating its /tokenize calls, up to four per word.
     */
    static final class Cache {
        /** Prompts kept; past it the cache starts again (a check is cheap to redo, memory is not unbounded). */
        static final int MAX_PROMPTS = 1024;
        private final Map<List<String>, PadByText> found = new ConcurrentHashMap<>();

        /** The check of the conversation's texts (the prompt last): kept, or made now and kept. */
        PadByText get(List<String> texts, Supplier<String> padText, Function<List<String>, long[]> tokenize, String where) {
            PadByText p = found.get(texts);
            if (p == null) {
                p = find(texts, padText.get(), tokenize, where);
                if (found.size() >= MAX_PROMPTS) {
                    found.clear();
                }
                found.putIfAbsent(List.copyOf(texts), p);
            }
            return p;
        }

        /** Prompts checked and kept. */
        int size() {
            return found.size();
        }
    }

    /**
     * The check of one scorer's prompt, made on first use (it costs /tokenize calls) or taken from its model's
     * {@link Cache}, and kept.
     */
    static final class Once {
        private final List<String> texts;
        private final Supplier<String> padText;
        private final Function<List<String>, long[]> tokenize;
        private final String where;
        private final Cache cache;
        private volatile PadByText found;

        /**
         * @param task     the scorer's task: its messages' texts (the history's, then the prompt) are checked
         * @param tokenize the server's token ids of the conversation with the given texts, one per message, in order
         */
        Once(io.github.eagle4j.ScoringTask task, Supplier<String> padText, Function<List<String>, long[]> tokenize, String where,
             Cache cache) {
            this.texts = task.messages().stream().map(io.github.eagle4j.text.PromptMessage::text).toList();
            this.padText = padText;
            this.tokenize = tokenize;
            this.where = where;
            this.cache = cache;
        }

        PadByText get() {
            PadByText p = found;
            if (p == null) {
                p = cache.get(texts, padText, tokenize, where);
                found = p;
            }
            return p;
        }
    }

    /** Refuses a batch with another mask than pad, naming the backend. */
    static void requirePad(TextMaskBatch batch, String backend) {
        if (batch.mask() != TextMask.PAD) {
            throw new ScoringException("backend " + backend + " cannot mask prompt text with " + batch.mask().cliName()
                    + " (pad only)");
        }
    }
    /**
     * One word of a message and the tokens it is sent as.
     *
     * @param message    the message's index in the conversation (the prompt last)
     * @param charStart  first character replaced (the space before the word when the tokenizer joins them)
     * @param charEnd    one past the word's last character
     * @param tokenStart the first of its tokens in the tokenised conversation
     * @param tokens     how many tokens it has
     */
    record Piece(int message, int charStart, int charEnd, int tokenStart, int tokens) {
    }

    private final List<String> texts;
    private final String padText;
    private final List<Piece> pieces;

    private PadByText(List<String> texts, String padText, List<Piece> pieces) {
        this.texts = List.copyOf(texts);
        this.padText = padText;
        this.pieces = List.copyOf(pieces);
    }

    /**
     * Finds and checks the pieces of every message of a conversation (a single question is a conversation of one).
     *
     * @param texts    the messages' texts, the prompt last
     * @param tokenize the server's token ids of the conversation with the given texts (the same conversation every time,
     *                 only the texts differ)
     * @param where    the server, for messages
     * @throws InvalidInputException when a word cannot be replaced exactly
     */
    static PadByText find(List<String> texts, String padText, Function<List<String>, long[]> tokenize, String where) {
        long[] intact = tokenize.apply(texts);
        List<Piece> pieces = new ArrayList<>();
        long pad = -1;
        for (int m = 0; m < texts.size(); m++) {
            String text = texts.get(m);
            for (int[] unit : SpanSplitter.units(text, SpanMode.WORDS)) {
                Piece found = null;
                List<Integer> starts = new ArrayList<>(List.of(unit[0]));
                if (unit[0] > 0 && text.charAt(unit[0] - 1) == ' ') {
                    starts.add(unit[0] - 1);
                }
                for (int start : starts) {
                    long[] once = tokenize.apply(with(texts, m, replace(text, start, unit[1], padText)));
                    int k = intact.length - once.length + 1;
                    if (k < 1) {
                        continue;
                    }
                    long[] padded = tokenize.apply(with(texts, m, replace(text, start, unit[1], padText.repeat(k))));
                    int at = replacedRun(intact, padded, k);
                    if (at >= 0 && (pad < 0 || padded[at] == pad)) {
                        pad = padded[at];
                        found = new Piece(m, start, unit[1], at, k);
                        break;
                    }
                }
                if (found == null) {
                    throw new InvalidInputException("text regions: " + where + "'s tokenizer does not read the word '"
                            + text.substring(unit[0], unit[1]) + "' replaced by the pad token '" + padText
                            + "' as the pad token in its place, so masking it by text would not be exact");
                }
                pieces.add(found);
            }
        }
        PadByText p = new PadByText(texts, padText, pieces);
        if (!pieces.isEmpty()) {
            BitSet every = new BitSet();
            every.set(0, pieces.size());
            long[] all = tokenize.apply(p.withPiecesReplaced(every));
            long[] expected = intact.clone();
            for (Piece piece : pieces) {
                java.util.Arrays.fill(expected, piece.tokenStart, piece.tokenStart + piece.tokens, pad);
            }
            if (!java.util.Arrays.equals(all, expected)) {
                throw new InvalidInputException("text regions: " + where + "'s tokenizer reads the "
                        + (texts.size() > 1 ? "conversation" : "prompt") + " with every word replaced by the pad token '"
                        + padText + "' otherwise than word by word, so masking by text would not be exact");
            }
        }
        return p;
    }

    /** {@code texts} with message {@code m}'s text replaced. */
    private static List<String> with(List<String> texts, int m, String text) {
        List<String> out = new ArrayList<>(texts);
        out.set(m, text);
        return out;
    }

    /** Where {@code padded} is {@code intact} with one run of {@code k} equal ids replaced; -1 when it is not. */
    private static int replacedRun(long[] intact, long[] padded, int k) {
        if (padded.length != intact.length) {
            return -1;
        }
        int first = 0;
        while (first < intact.length && intact[first] == padded[first]) {
            first++;
        }
        if (first + k > intact.length) {
            return -1;
        }
        for (int i = first; i < first + k; i++) {
            if (padded[i] != padded[first]) {
                return -1;
            }
        }
        for (int i = first + k; i < intact.length; i++) {
            if (intact[i] != padded[i]) {
                return -1;
            }
        }
        return first;
    }

    private static String replace(String text, int start, int end, String with) {
        return text.substring(0, start) + with + text.substring(end);
    }

    /**
     * The messages' tokens for {@link SpanSplitter}: each word's tokens with its message and characters, at their
     * positions in the server's tokenisation of the conversation without the image.
     */
    List<PromptToken> promptTokens() {
        List<PromptToken> out = new ArrayList<>();
        for (Piece p : pieces) {
            for (int i = 0; i < p.tokens; i++) {
                out.add(new PromptToken(p.tokenStart + i, p.message, p.charStart, p.charEnd));
            }
        }
        return out;
    }

    /** The messages' texts with the words of every span not in {@code kept} replaced by pad texts, one per token. */
    List<String> masked(List<TextSpan> spans, BitSet kept) {
        BitSet removedPieces = new BitSet();
        for (TextSpan s : spans) {
            if (kept.get(s.id())) {
                continue;
            }
            for (int i = 0; i < pieces.size(); i++) {
                Piece p = pieces.get(i);
                if (p.message == s.message() && p.charStart >= s.charStart() && p.charEnd <= s.charEnd()) {
                    removedPieces.set(i);
                }
            }
        }
        return withPiecesReplaced(removedPieces);
    }

    /** The messages' texts with the pieces in {@code removedPieces} replaced by pad texts. */
    private List<String> withPiecesReplaced(BitSet removedPieces) {
        List<String> out = new ArrayList<>(texts.size());
        for (int m = 0; m < texts.size(); m++) {
            String text = texts.get(m);
            StringBuilder b = new StringBuilder(text.length());
            int at = 0;
            for (int i = 0; i < pieces.size(); i++) {
                Piece p = pieces.get(i);
                if (p.message != m || !removedPieces.get(i)) {
                    continue;
                }
                b.append(text, at, p.charStart).append(padText.repeat(p.tokens));
                at = p.charEnd;
            }
            out.add(b.append(text, at, text.length()).toString());
        }
        return out;
    }

    /** The pad token's text. */
    String padText() {
        return padText;
    }
}
