package io.github.eagle4j.openai;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.Target;

import java.util.ArrayList;
import java.util.List;

/**
 * Where an answer's tokens sit in a conversation, found by tokenising it three ways: the prompt with the generation
 * prompt ({@code gen}), the prompt with the answer as an open final assistant message ({@code open}), and the closed turn
 * ({@code closed}, with the template's end-of-turn token). The answer tokens are {@code open} beyond the longest common
 * prefix with {@code gen} (when a merge crosses the boundary, the merged token is scored), followed by the first token
 * {@code closed} adds after {@code open}: the end-of-turn token, a target at sentence level (docs/method.md §1).
 *
 * <p>Servers put image tokens before the answer, so positions are counted from the end: the tail {@code open[L:]} (or
 * {@code closed[L:]}) is the end of the scored sequence whatever the image expanded to.
 *
 * @param tokens        the answer tokens, end-of-turn token last when there is one
 * @param openTail      ids of the open conversation beyond the common prefix: the answer's own tokens
 * @param closedTail    ids of the closed conversation beyond the common prefix (answer, end of turn and whatever the
 *                      template writes after it), or {@code null} when the closed turn does not extend the open one
 * @param contentTokens how many answer tokens precede the end-of-turn token
 */
record AnswerLayout(List<AnswerToken> tokens, long[] openTail, long[] closedTail, int contentTokens) {
    AnswerLayout {
        tokens = List.copyOf(tokens);
    }

    static AnswerLayout of(String answer, long[] gen, long[] open, String[] openText, long[] closed, String[] closedText) {
        int common = 0;
        while (common < gen.length && common < open.length && gen[common] == open[common]) {
            common++;
        }
        int k = open.length - common;
        if (k <= 0) {
            throw new InvalidInputException("the answer '" + answer + "' adds no tokens to the conversation");
        }
        List<AnswerToken> tokens = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            tokens.add(new AnswerToken(i, text(openText, common + i, open[common + i]), open[common + i]));
        }
        long[] closedTail = null;
        if (closed != null && closed.length > open.length && startsWith(closed, open)) {
            tokens.add(new AnswerToken(k, text(closedText, open.length, closed[open.length]), closed[open.length]));
            closedTail = java.util.Arrays.copyOfRange(closed, common, closed.length);
        }
        return new AnswerLayout(tokens, java.util.Arrays.copyOfRange(open, common, open.length), closedTail, k);
    }

    private static String text(String[] texts, int i, long id) {
        return texts != null && i < texts.length && texts[i] != null ? texts[i] : "#" + id;
    }

    private static boolean startsWith(long[] a, long[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether scoring these targets needs the closed turn (a target is the end-of-turn token). */
    boolean needsClosedTurn(List<Target> targets) {
        return targets.stream().anyMatch(t -> t.index() >= contentTokens);
    }

    /** The tail the scored sequence ends with. */
    long[] tail(boolean closedTurn) {
        return closedTurn ? closedTail.clone() : openTail.clone();
    }

    /**
     * The targets at {@code indices}.
     *
     * @throws InvalidInputException naming an index outside the answer or given twice
     */
    List<Target> targets(List<Integer> indices) {
        if (indices.isEmpty()) {
            throw new InvalidInputException("no target tokens given");
        }
        List<Target> out = new ArrayList<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i : indices) {
            if (i < 0 || i >= tokens.size()) {
                throw new InvalidInputException("target index " + i + " is outside the answer, which has " + tokens.size() + " tokens");
            }
            if (!seen.add(i)) {
                throw new InvalidInputException("target index " + i + " is given twice");
            }
            AnswerToken t = tokens.get(i);
            out.add(new Target(i, t.text(), t.id()));
        }
        return out;
    }
}
