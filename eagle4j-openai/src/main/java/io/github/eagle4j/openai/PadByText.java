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
 * masking would not be exact.
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
        private final Map<String, PadByText> found = new ConcurrentHashMap<>();

        /** The check of {@code prompt}: kept, or made now and kept. */
        PadByText get(String prompt, Supplier<String> padText, Function<String, long[]> tokenize, String where) {
            PadByText p = found.get(prompt);
            if (p == null) {
                p = find(prompt, padText.get(), tokenize, where);
                if (found.size() >= MAX_PROMPTS) {
                    found.clear();
                }
                found.putIfAbsent(prompt, p);
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
        private final String prompt;
        private final Supplier<String> padText;
        private final Function<String, long[]> tokenize;
        private final String where;
        private final Cache cache;
        private volatile PadByText found;

        Once(String prompt, Supplier<String> padText, Function<String, long[]> tokenize, String where, Cache cache) {
            this.prompt = prompt;
            this.padText = padText;
            this.tokenize = tokenize;
            this.where = where;
            this.cache = cache;
        }

        PadByText get() {
            PadByText p = found;
            if (p == null) {
                p = cache.get(prompt, padText, tokenize, where);
                found = p;
            }
            return p;
        }
    }

    /**
     * Refuses text regions for a conversation: the words checked and replaced are the question's, so the earlier
     * messages' spans could not be masked.
     */
    static void requireSingleQuestion(io.github.eagle4j.ScoringTask task, String backend) {
        if (!task.history().isEmpty()) {
            throw InvalidInputException.forInput(io.github.eagle4j.TextExplainer.MODE, ": backend " + backend + " masks the words of a"
                    + " single question by text, not a conversation's (docs/text.md, \"Servers\")");
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
     * One word of the prompt and the tokens it is sent as.
     *
     * @param charStart  first character replaced (the space before the word when the tokenizer joins them)
     * @param charEnd    one past the word's last character
     * @param tokenStart the first of its tokens in the tokenised prompt
     * @param tokens     how many tokens it has
     */
    record Piece(int charStart, int charEnd, int tokenStart, int tokens) {
    }

    private final String prompt;
    private final String padText;
    private final List<Piece> pieces;

    private PadByText(String prompt, String padText, List<Piece> pieces) {
        this.prompt = prompt;
        this.padText = padText;
        this.pieces = List.copyOf(pieces);
    }

    /**
     * Finds and checks the pieces of {@code prompt}.
     *
     * @param tokenize the server's token ids of a conversation whose user turn holds the given prompt text (the same
     *                 conversation every time, only the prompt differs)
     * @param where    the server, for messages
     * @throws InvalidInputException when a word cannot be replaced exactly
     */
    static PadByText find(String prompt, String padText, Function<String, long[]> tokenize, String where) {
        long[] intact = tokenize.apply(prompt);
        List<Piece> pieces = new ArrayList<>();
        long pad = -1;
        for (int[] unit : SpanSplitter.units(prompt, SpanMode.WORDS)) {
            Piece found = null;
            List<Integer> starts = new ArrayList<>(List.of(unit[0]));
            if (unit[0] > 0 && prompt.charAt(unit[0] - 1) == ' ') {
                starts.add(unit[0] - 1);
            }
            for (int start : starts) {
                long[] once = tokenize.apply(replace(prompt, start, unit[1], padText));
                int k = intact.length - once.length + 1;
                if (k < 1) {
                    continue;
                }
                long[] padded = tokenize.apply(replace(prompt, start, unit[1], padText.repeat(k)));
                int at = replacedRun(intact, padded, k);
                if (at >= 0 && (pad < 0 || padded[at] == pad)) {
                    pad = padded[at];
                    found = new Piece(start, unit[1], at, k);
                    break;
                }
            }
            if (found == null) {
                throw new InvalidInputException("text regions: " + where + "'s tokenizer does not read the word '"
                        + prompt.substring(unit[0], unit[1]) + "' replaced by the pad token '" + padText
                        + "' as the pad token in its place, so masking it by text would not be exact");
            }
            pieces.add(found);
        }
        PadByText p = new PadByText(prompt, padText, pieces);
        if (!pieces.isEmpty()) {
            BitSet every = new BitSet();
            every.set(0, pieces.size());
            long[] all = tokenize.apply(p.withPiecesReplaced(every));
            long[] expected = intact.clone();
            for (Piece piece : pieces) {
                java.util.Arrays.fill(expected, piece.tokenStart, piece.tokenStart + piece.tokens, pad);
            }
            if (!java.util.Arrays.equals(all, expected)) {
                throw new InvalidInputException("text regions: " + where + "'s tokenizer reads the prompt with every word"
                        + " replaced by the pad token '" + padText + "' otherwise than word by word, so masking by text"
                        + " would not be exact");
            }
        }
        return p;
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
     * The prompt's tokens for {@link SpanSplitter}: each word's tokens with the word's characters (message 0), at
     * their positions in the server's tokenisation of the conversation without the image.
     */
    List<PromptToken> promptTokens() {
        List<PromptToken> out = new ArrayList<>();
        for (Piece p : pieces) {
            for (int i = 0; i < p.tokens; i++) {
                out.add(new PromptToken(p.tokenStart + i, 0, p.charStart, p.charEnd));
            }
        }
        return out;
    }

    /** The prompt with the words of every span not in {@code kept} replaced by pad texts, one per token. */
    String masked(List<TextSpan> spans, BitSet kept) {
        BitSet removedPieces = new BitSet();
        for (TextSpan s : spans) {
            if (kept.get(s.id())) {
                continue;
            }
            for (int i = 0; i < pieces.size(); i++) {
                Piece p = pieces.get(i);
                if (p.charStart >= s.charStart() && p.charEnd <= s.charEnd()) {
                    removedPieces.set(i);
                }
            }
        }
        return withPiecesReplaced(removedPieces);
    }

    /** The prompt with the pieces in {@code removedPieces} replaced by pad texts. */
    private String withPiecesReplaced(BitSet removedPieces) {
        StringBuilder out = new StringBuilder(prompt.length());
        int at = 0;
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            if (!removedPieces.get(i)) {
                continue;
            }
            out.append(prompt, at, p.charStart).append(padText.repeat(p.tokens));
            at = p.charEnd;
        }
        return out.append(prompt, at, prompt.length()).toString();
    }

    /** The pad token's text. */
    String padText() {
        return padText;
    }
}
