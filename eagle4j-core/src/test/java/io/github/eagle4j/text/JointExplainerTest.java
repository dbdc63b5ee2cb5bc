package io.github.eagle4j.text;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.JointExplainer;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The joint search on an analytic scorer: p = 0.1 + 0.5·[region 2 visible] + 0.3·[span "red" kept]. Every search
 * puts region 2 first and the span second, and the evidence split gives the image 0.5, the prompt 0.3 and the prior
 * 0.1 (docs/text.md).
 */
class JointExplainerTest {
    static final String PROMPT = "Is there a red circle?";

    @ParameterizedTest
    @EnumSource(SearchKind.class)
    void regionsAndSpansInOneOrderAndTheEvidenceSplit(SearchKind kind) {
        RgbImage image = RgbImage.filled(8, 8, 0x808080);
        RegionSet regions = new GridSegmenter(2, 2).segment(image);
        ScoringTask task = new ScoringTask(PROMPT, "yes", List.of("yes"), List.of(new Target(0, "yes", 9)));
        List<Integer> calls = new ArrayList<>();
        TokenScorer scorer = new AnalyticScorer(task) {
            @Override
            double p(TextMaskBatch batch, int i) {
                return 0.1 + (batch.images().isKept(i, 2) ? 0.5 : 0) + (batch.isKept(i, 3) ? 0.3 : 0);
            }

            @Override
            public Set<TextMask> textMasks() {
                return EnumSet.of(TextMask.DROP);
            }

            @Override
            public double[][] scoreText(TextMaskBatch batch) {
                calls.add(batch.size());
                return super.scoreText(batch);
            }
        };
        JointExplanation e = new JointExplainer(ExplainOptions.builder().search(kind).build(), SpanMode.WORDS, TextMask.DROP)
                .explain(image, regions, scorer, ProgressListener.NONE);
        assertThat(e.order()[0]).isEqualTo(2);
        assertThat(e.order()[1]).isEqualTo(4 + 3);
        assertThat(e.isSpan(e.order()[1])).isTrue();
        assertThat(e.spans().get(3).text()).isEqualTo("red");
        EvidenceSplit s = e.evidence().get(0);
        assertThat(s.full()).isCloseTo(0.9, within(1e-12));
        assertThat(s.image()).isCloseTo(0.5, within(1e-12));
        assertThat(s.prompt()).isCloseTo(0.3, within(1e-12));
        assertThat(s.neither()).isCloseTo(0.1, within(1e-12));
        assertThat(s.label()).isEqualTo(EvidenceSplit.PERCEPTION);
        assertThat(e.answerEvidence().image() + e.answerEvidence().prompt() + e.answerEvidence().neither())
                .isCloseTo(e.answerEvidence().full(), within(1e-12));
        assertThat(e.shareCurve()[e.shareCurve().length - 1]).isCloseTo(1.0, within(1e-12));
        assertThat(calls).anyMatch(n -> n > 1);
    }

    @org.junit.jupiter.api.Test
    void theLabelIsTheLargestPart() {
        Target t = new Target(0, "x", 1);
        assertThat(EvidenceSplit.of(t, 0.9, 0.2, 0.8, 0.1).label()).isEqualTo(EvidenceSplit.PROMPT);
        assertThat(EvidenceSplit.of(t, 0.9, 0.85, 0.85, 0.8).label()).isEqualTo(EvidenceSplit.LANGUAGE_PRIOR);
    }

    @org.junit.jupiter.api.Test
    void partsWithinTheTieMarginAreMixed() {
        Target t = new Target(0, "yes", 1);
        // an AND game: only both sources give the token; image and prompt get 0.45 each
        EvidenceSplit and = EvidenceSplit.of(t, 0.9, 0.0, 0.0, 0.0);
        assertThat(and.image()).isCloseTo(0.45, within(1e-12));
        assertThat(and.label()).isEqualTo(EvidenceSplit.MIXED);
        // image 0.5, prompt 0.4: 0.1 apart, more than 0.1·0.9
        assertThat(EvidenceSplit.of(t, 0.9, 0.5, 0.4, 0.0).label()).isEqualTo(EvidenceSplit.PERCEPTION);
        // image 0.47, prompt 0.43: 0.04 apart, less than 0.09
        assertThat(EvidenceSplit.of(t, 0.9, 0.47, 0.43, 0.0).label()).isEqualTo(EvidenceSplit.MIXED);
    }

    /**
     * An AND game, as a yes/no question is on the bundled model: p = 0.9 only with region 2 visible and span "red"
     * kept, else 0. Whichever the joint order places first, the other's gain in the joint order is 0, but with the
     * other source intact region 2 and "red" carry all the gain of their own source, so they score 1 and the rest
     * 0 (docs/text.md).
     */
    @ParameterizedTest
    @EnumSource(SearchKind.class)
    void inAnAndGameEachSourceScoresItsOwnDecisiveCandidate(SearchKind kind) {
        RgbImage image = RgbImage.filled(8, 8, 0x808080);
        RegionSet regions = new GridSegmenter(2, 2).segment(image);
        ScoringTask task = new ScoringTask(PROMPT, "yes", List.of("yes"), List.of(new Target(0, "yes", 9)));
        TokenScorer scorer = new AnalyticScorer(task) {
            @Override
            double p(TextMaskBatch batch, int i) {
                return batch.images().isKept(i, 2) && batch.isKept(i, 3) ? 0.9 : 0.0;
            }
        };
        JointExplanation e = new JointExplainer(ExplainOptions.builder().search(kind).build(), SpanMode.WORDS, TextMask.PAD)
                .explain(image, regions, scorer, ProgressListener.NONE);
        assertThat(e.regionScores()).containsExactly(0.0, 0.0, 1.0, 0.0);
        assertThat(e.spanScores()).containsExactly(0.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        assertThat(e.evidence().get(0).label()).isEqualTo(EvidenceSplit.MIXED);
    }

    /** A scorer of text batches by a formula over the kept regions and spans. */
    abstract static class AnalyticScorer implements TokenScorer {
        private final ScoringTask task;

        AnalyticScorer(ScoringTask task) {
            this.task = task;
        }

        abstract double p(TextMaskBatch batch, int i);

        @Override
        public ScoringTask task() {
            return task;
        }

        @Override
        public double[][] score(List<RgbImage> images) {
            throw new AssertionError("the joint search scores text and images together");
        }

        @Override
        public Set<TextMask> textMasks() {
            return EnumSet.allOf(TextMask.class);
        }

        @Override
        public List<PromptToken> promptTokens(int width, int height) {
            List<PromptToken> out = new ArrayList<>();
            int pos = 20;
            for (int[] r : SpanSplitter.units(PROMPT, SpanMode.WORDS)) {
                out.add(new PromptToken(pos++, 0, r[0], r[1]));
            }
            return out;
        }

        @Override
        public double[][] scoreText(TextMaskBatch batch) {
            double[][] out = new double[batch.size()][1];
            for (int i = 0; i < batch.size(); i++) {
                out[i][0] = p(batch, i);
            }
            return out;
        }
    }
}
