package io.github.eagle4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Picks the answer tokens to explain: explicit indices, the tokens spelling a word, or every token
 * (sentence level, the default).
 */
public final class TargetSelection {
    /** The API name of explicit target indices in the messages of {@link InvalidInputException}. */
    public static final String INDICES = "targetIndices";
    /** The API name of a target word in the messages of {@link InvalidInputException}. */
    public static final String WORD = "targetWord";

    private TargetSelection() {
    }

    /** Every answer token, end-of-turn included (sentence level). */
    public static List<Integer> all(List<AnswerToken> tokens) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            out.add(i);
        }
        return out;
    }

    /**
     * Validates explicit indices.
     *
     * @throws InvalidInputException naming the input {@link #INDICES} when an index is outside the answer or repeated
     */
    public static List<Integer> indices(List<AnswerToken> tokens, List<Integer> indices) {
        if (indices.isEmpty()) {
            throw InvalidInputException.forInput(INDICES, ": no index given");
        }
        List<Integer> out = new ArrayList<>();
        for (int i : indices) {
            if (i < 0 || i >= tokens.size()) {
                throw InvalidInputException.forInput(INDICES, " " + i + " is outside the answer, which has "
                        + tokens.size() + " tokens (0.." + (tokens.size() - 1) + "): " + describe(tokens));
            }
            if (out.contains(i)) {
                throw InvalidInputException.forInput(INDICES, " " + i + " is given twice");
            }
            out.add(i);
        }
        return out;
    }

    /**
     * The tokens of the first occurrence of {@code word} in the answer: one token, or a run of sub-word
     * tokens whose texts (without leading-space markers) concatenate to the word. Case-insensitive.
     *
     * @throws InvalidInputException naming the input {@link #WORD} when the word is not in the answer
     */
    public static List<Integer> word(List<AnswerToken> tokens, String word) {
        return word(tokens, word, 0);
    }

    /**
     * Like {@link #word(List, String)}, for the first occurrence that starts at or after {@code fromIndex}
     * (e.g. the second object's colour when two objects share it).
     */
    public static List<Integer> word(List<AnswerToken> tokens, String word, int fromIndex) {
        String wanted = word.strip().toLowerCase(Locale.ROOT);
        if (wanted.isEmpty()) {
            throw InvalidInputException.forInput(WORD, " is empty");
        }
        for (int start = Math.max(0, fromIndex); start < tokens.size(); start++) {
            StringBuilder joined = new StringBuilder();
            for (int end = start; end < tokens.size(); end++) {
                joined.append(normalize(tokens.get(end).text()));
                String s = joined.toString();
                if (s.equals(wanted)) {
                    List<Integer> out = new ArrayList<>();
                    for (int i = start; i <= end; i++) {
                        out.add(i);
                    }
                    return out;
                }
                if (!wanted.startsWith(s)) {
                    break;
                }
            }
        }
        throw InvalidInputException.forInput(WORD, " '" + word + "' is not a word of the answer: " + describe(tokens));
    }

    /** Parses {@code "3,4"} into indices. */
    public static List<Integer> parseIndices(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String part : csv.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                throw InvalidInputException.forInput(INDICES, ": '" + p + "' is not a whole number");
            }
        }
        return out;
    }

    /** A token's text without leading-space markers, lower case: what {@link #word} compares. */
    public static String normalizedText(AnswerToken token) {
        return normalize(token.text());
    }

    /** Token text without the leading-space markers of BPE and SentencePiece vocabularies, lower case. */
    static String normalize(String tokenText) {
        String t = tokenText.replace('Ġ', ' ').replace('▁', ' ').strip();
        return t.toLowerCase(Locale.ROOT);
    }

    private static String describe(List<AnswerToken> tokens) {
        String[] parts = new String[tokens.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = i + ":" + tokens.get(i).text();
        }
        return Arrays.toString(parts);
    }
}
