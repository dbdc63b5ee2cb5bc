package io.github.eagle4j.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The span splitter on hand-made token lists: units by mode, tokens never cut, units joined by a shared token. */
class SpanSplitterTest {
    private static final PromptMessage Q = new PromptMessage(MessageRole.USER, "Is there a red circle?");

    /** Word-level tokens of {@link #Q}: one per word and one for '?', starting at sequence position 10. */
    private static List<PromptToken> wordTokens() {
        int[][] ranges = {{0, 2}, {3, 8}, {9, 10}, {11, 14}, {15, 21}, {21, 22}};
        List<PromptToken> out = new ArrayList<>();
        for (int i = 0; i < ranges.length; i++) {
            out.add(new PromptToken(10 + i, 0, ranges[i][0], ranges[i][1]));
        }
        return out;
    }

    private static List<String> texts(List<TextSpan> spans) {
        return spans.stream().map(TextSpan::text).toList();
    }

    @Test
    void wordsAreOneSpanEachAndPunctuationIsItsOwn() {
        List<TextSpan> spans = SpanSplitter.split(List.of(Q), wordTokens(), SpanMode.WORDS);
        assertThat(texts(spans)).containsExactly("Is", "there", "a", "red", "circle", "?");
        TextSpan red = spans.get(3);
        assertThat(red).isEqualTo(new TextSpan(3, 0, MessageRole.USER, "red", 11, 14, 13, 14));
    }

    @Test
    void aSentenceAndAMessageCoverEveryToken() {
        List<TextSpan> s = SpanSplitter.split(List.of(Q), wordTokens(), SpanMode.SENTENCES);
        assertThat(s).containsExactly(new TextSpan(0, 0, MessageRole.USER, Q.text(), 0, 22, 10, 16));
        assertThat(SpanSplitter.split(List.of(Q), wordTokens(), SpanMode.MESSAGES)).isEqualTo(s);
    }

    @Test
    void aTokenSpanningTwoWordsJoinsThemAndNeverCutsIt() {
        // byte-level style: "Is", " there", " a r" (one token over two words), "ed", " circle", "?"
        PromptMessage m = Q;
        List<PromptToken> t = List.of(new PromptToken(0, 0, 0, 2), new PromptToken(1, 0, 2, 8), new PromptToken(2, 0, 8, 12),
                new PromptToken(3, 0, 12, 14), new PromptToken(4, 0, 14, 21), new PromptToken(5, 0, 21, 22));
        List<TextSpan> spans = SpanSplitter.split(List.of(m), t, SpanMode.WORDS);
        assertThat(texts(spans)).containsExactly("Is", " there", " a red", " circle", "?");
        assertThat(spans.get(2).tokenStart()).isEqualTo(2);
        assertThat(spans.get(2).tokenEnd()).isEqualTo(4);
    }

    @Test
    void bytesOfOneCharacterStayInOneSpan() {
        // "红色 ok": 红 and 色 are three byte tokens each sharing the character's range
        PromptMessage m = new PromptMessage(MessageRole.USER, "红色 ok");
        List<PromptToken> t = List.of(new PromptToken(0, 0, 0, 1), new PromptToken(1, 0, 0, 1), new PromptToken(2, 0, 0, 1),
                new PromptToken(3, 0, 1, 2), new PromptToken(4, 0, 1, 2), new PromptToken(5, 0, 1, 2), new PromptToken(6, 0, 2, 5));
        List<TextSpan> spans = SpanSplitter.split(List.of(m), t, SpanMode.WORDS);
        assertThat(spans).containsExactly(new TextSpan(0, 0, MessageRole.USER, "红色", 0, 2, 0, 6),
                new TextSpan(1, 0, MessageRole.USER, " ok", 2, 5, 6, 7));
    }

    @Test
    void sentencesEndAtStopsFollowedBySpaceAndAtLineBreaks() {
        assertThat(ranges("Cats purr. Dogs bark! Is 3.5 big?\nYes", SpanMode.SENTENCES))
                .containsExactly("Cats purr.", "Dogs bark!", "Is 3.5 big?", "Yes");
        assertThat(ranges("今天好。明天呢？", SpanMode.SENTENCES)).containsExactly("今天好。", "明天呢？");
        assertThat(ranges("don't stop, yellow-green?!", SpanMode.WORDS))
                .containsExactly("don't", "stop", ",", "yellow-green", "?!");
        assertThat(ranges("  padded  ", SpanMode.MESSAGES)).containsExactly("padded");
        assertThat(ranges("   ", SpanMode.WORDS)).isEmpty();
    }

    private static List<String> ranges(String text, SpanMode mode) {
        return SpanSplitter.units(text, mode).stream().map(r -> text.substring(r[0], r[1])).toList();
    }

    @Test
    void whiteSpaceOnlyTokensBelongToNoWord() {
        PromptMessage m = new PromptMessage(MessageRole.USER, "a  b");
        List<PromptToken> t = List.of(new PromptToken(0, 0, 0, 1), new PromptToken(1, 0, 1, 3), new PromptToken(2, 0, 3, 4));
        List<TextSpan> words = SpanSplitter.split(List.of(m), t, SpanMode.WORDS);
        assertThat(texts(words)).containsExactly("a", "b");
        assertThat(texts(SpanSplitter.split(List.of(m), t, SpanMode.SENTENCES))).containsExactly("a  b");
    }

    @Test
    void spansNeverCrossMessagesAndIdsRunOverAllMessages() {
        PromptMessage sys = new PromptMessage(MessageRole.SYSTEM, "Be brief.");
        List<PromptToken> t = new ArrayList<>(List.of(new PromptToken(1, 0, 0, 2), new PromptToken(2, 0, 2, 9)));
        for (PromptToken w : wordTokens()) {
            t.add(new PromptToken(w.position(), 1, w.charStart(), w.charEnd()));
        }
        List<TextSpan> spans = SpanSplitter.split(List.of(sys, Q), t, SpanMode.MESSAGES);
        assertThat(spans).containsExactly(new TextSpan(0, 0, MessageRole.SYSTEM, "Be brief.", 0, 9, 1, 3),
                new TextSpan(1, 1, MessageRole.USER, Q.text(), 0, 22, 10, 16));
    }

    @Test
    void tokensOutsideTheMessagesAreRefused() {
        assertThatThrownBy(() -> SpanSplitter.split(List.of(Q), List.of(new PromptToken(0, 0, 20, 30)), SpanMode.WORDS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("22 long");
        assertThat(SpanMode.parse("sentences")).isEqualTo(SpanMode.SENTENCES);
        assertThat(TextMask.parse("drop")).isEqualTo(TextMask.DROP);
        assertThatThrownBy(() -> TextMask.parse("zero")).hasMessage("text mask 'zero' is not one of pad, drop");
    }
}
