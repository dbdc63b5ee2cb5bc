package io.github.eagle4j.text;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.Target;
import io.github.eagle4j.TextExplainer;
import io.github.eagle4j.TokenScorer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The text-only search through the image searches' code: on an analytic scorer whose probability is the summed
 * weight of the kept words, every search ranks the words by weight, one scorer call per batch.
 */
class TextExplainerTest {
    private static final String PROMPT = "Is there a red circle?";
    /** Weights of the words Is, there, a, red, circle, ? (sum 1). */
    private static final double[] WEIGHTS = {0.02, 0.03, 0.05, 0.5, 0.3, 0.1};

    /** Word-level tokens of the prompt at positions 10.. and probability = Σ weights of the kept words. */
    static final class WordWeights implements TokenScorer {
        final Set<TextMask> masks;
        final List<Integer> batchSizes = new ArrayList<>();
        private final String prompt;

        WordWeights(String prompt, Set<TextMask> masks) {
            this.prompt = prompt;
            this.masks = masks;
        }

        @Override
        public ScoringTask task() {
            return new ScoringTask(prompt, "yes", List.of("yes"), List.of(new Target(0, "yes", 26)));
        }

        @Override
        public double[][] score(List<RgbImage> images) {
            throw new AssertionError("a text search scores text");
        }

        @Override
        public Set<TextMask> textMasks() {
            return masks;
        }

        @Override
        public List<PromptToken> promptTokens(int width, int height) {
            List<PromptToken> out = new ArrayList<>();
            int pos = 10;
            for (int[] r : SpanSplitter.units(prompt, SpanMode.WORDS)) {
                out.add(new PromptToken(pos++, 0, r[0], r[1]));
            }
            return out;
        }

        @Override
        public double[][] scoreText(TextMaskBatch batch) {
            batchSizes.add(batch.size());
            double[][] out = new double[batch.size()][1];
            for (int i = 0; i < batch.size(); i++) {
                for (int s = 0; s < batch.spans().size(); s++) {
                    out[i][0] += batch.isKept(i, s) ? WEIGHTS[s] : 0;
                }
            }
            return out;
        }
    }

    @ParameterizedTest
    @EnumSource(value = SearchKind.class)
    void everySearchRanksTheWordsByWeight(SearchKind search) {
        WordWeights scorer = new WordWeights(PROMPT, EnumSet.allOf(TextMask.class));
        ExplainOptions options = ExplainOptions.builder().search(search).build();
        TextExplanation e = new TextExplainer(options, SpanMode.WORDS, TextMask.PAD).explain(RgbImage.filled(8, 8, 0), scorer);
        assertThat(e.spans()).extracting(TextSpan::text).containsExactly("Is", "there", "a", "red", "circle", "?");
        assertThat(e.order()).containsExactly(3, 4, 5, 2, 1, 0);
        assertThat(e.topSpan().text()).isEqualTo("red");
        assertThat(e.fullPromptProbs()[0]).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(e.emptyPromptProbs()).containsExactly(0.0);
        assertThat(e.tokenShareCurve()[5]).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(e.insertionCurve()[0]).isEqualTo(0.5, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(e.spanScores()[3]).isGreaterThan(e.spanScores()[4]);
        assertThat(scorer.batchSizes).as("batches, not single entries").anyMatch(n -> n > 1);
        assertThat(e.scorerCalls()).isEqualTo(scorer.batchSizes.size());
    }

    @Test
    void badInputIsOneLine() {
        ExplainOptions o = ExplainOptions.defaults();
        RgbImage image = RgbImage.filled(8, 8, 0);
        assertThatThrownBy(() -> new TextExplainer(o, SpanMode.WORDS, TextMask.PAD).explain(image,
                new WordWeights(" ", EnumSet.allOf(TextMask.class))))
                .isInstanceOf(InvalidInputException.class).hasMessage("prompt is empty; text regions need a prompt with text")
                .extracting(e -> ((InvalidInputException) e).input()).isEqualTo(TextExplainer.PROMPT);
        assertThatThrownBy(() -> new TextExplainer(o, SpanMode.WORDS, TextMask.PAD).explain(image,
                new WordWeights(PROMPT, EnumSet.of(TextMask.DROP))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("textMask pad: backend WordWeights can mask prompt text only with [drop]")
                .extracting(e -> ((InvalidInputException) e).describedAs("--text-mask"))
                .isEqualTo("--text-mask pad: backend WordWeights can mask prompt text only with [drop]");
        assertThatThrownBy(() -> new TextExplainer(o, SpanMode.WORDS, TextMask.DROP).explain(image,
                new WordWeights(PROMPT, Set.of())))
                .isInstanceOf(InvalidInputException.class).hasMessage("textMask drop: backend WordWeights cannot mask prompt text");
    }

    @Test
    void theBatchCarriesCopiesAndChecksIds() {
        List<TextSpan> spans = List.of(new TextSpan(0, 0, MessageRole.USER, "a", 0, 1, 0, 1));
        BitSet kept = new BitSet();
        kept.set(0);
        TextMaskBatch b = TextMaskBatch.onImage(RgbImage.filled(2, 2, 0), TextMask.DROP, spans, List.of(kept));
        kept.clear(0);
        assertThat(b.isKept(0, 0)).isTrue();
        BitSet bad = new BitSet();
        bad.set(3);
        assertThatThrownBy(() -> TextMaskBatch.onImage(RgbImage.filled(2, 2, 0), TextMask.DROP, spans, List.of(bad)))
                .hasMessageContaining("span id 3 does not exist");
    }
}
