package io.github.eagle4j.text;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.JointExplainer;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.regions.FrameSegmenter;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each image's part of the evidence split (docs/text.md, "Several images and video") on analytic games over frames of
 * 2×2 cells, the key cell of frame k being region 4k.
 */
class ImageSharesTest {
    static final ScoringTask TASK = new ScoringTask(JointExplainerTest.PROMPT, "yes", List.of("yes"), List.of(new Target(0, "yes", 9)));
    /** Span "red" of the prompt. */
    static final int RED = 3;

    /**
     * p = 0.1 + 0.4·a + 0.1·b·c + 0.2·c·P (a, b, c: the key cells of frames 0, 1, 2 kept; P: "red" kept). Owen values:
     * frame 0 gets its 0.4, frames 1 and 2 halve their 0.1, and frame 2 gets half of the 0.2 it shares with the prompt,
     * which is the image's half as in the two-player split: 0.4, 0.05, 0.15, summing to the split's image 0.6.
     */
    @Test
    void threeImagesAndThePromptGetTheirOwenValues() {
        FrameLayout layout = layout(3);
        TokenScorer scorer = scorer(layout, (batch, i) -> 0.1 + 0.4 * kept(batch, i, 0) + 0.1 * kept(batch, i, 4) * kept(batch, i, 8)
                + 0.2 * kept(batch, i, 8) * (batch.isKept(i, RED) ? 1 : 0));
        JointExplanation e = explain(layout, scorer);
        ImageShares shares = e.imageShares();
        assertThat(shares.exact()).isTrue();
        assertThat(shares.inputs()).isEqualTo(16);
        assertThat(shares.groups()).containsExactly(List.of(0), List.of(1), List.of(2));
        assertThat(shares.shares()[0]).containsExactly(new double[] {0.4, 0.05, 0.15}, within(1e-12));
        EvidenceSplit split = e.evidence().get(0);
        assertThat(split.image()).isCloseTo(0.6, within(1e-12));
        assertThat(split.prompt()).isCloseTo(0.1, within(1e-12));
        assertThat(split.neither()).isCloseTo(0.1, within(1e-12));
        assertThat(shares.answerShares()).containsExactly(new double[] {0.4, 0.05, 0.15}, within(1e-12));
    }

    /** Above {@link ImageShares#EXACT_UP_TO} images the orders are sampled: additive parts stay exact, the sum is the image's. */
    @Test
    void manyImagesAreSampledAndStillSumToTheImagesShare() {
        int k = ImageShares.EXACT_UP_TO + 2;
        FrameLayout layout = layout(k);
        TokenScorer scorer = scorer(layout, (batch, i) -> {
            double p = 0.02 + 0.01 * (batch.isKept(i, RED) ? 1 : 0) * kept(batch, i, 4);
            for (int f = 0; f < k; f++) {
                p += 0.1 * f / k * kept(batch, i, 4 * f);
            }
            return p;
        });
        JointExplanation e = explain(layout, scorer);
        ImageShares shares = e.imageShares();
        assertThat(shares.exact()).isFalse();
        assertThat(shares.permutations()).isEqualTo(ImageShares.PERMUTATIONS);
        double sum = 0;
        for (int f = 0; f < k; f++) {
            sum += shares.shares()[0][f];
            if (f != 1) {
                assertThat(shares.shares()[0][f]).as("frame %d", f).isCloseTo(0.1 * f / k, within(1e-12));
            }
        }
        // frame 1 shares its product with the prompt: half of it in the image part
        assertThat(shares.shares()[0][1]).isCloseTo(0.1 / k + 0.005, within(1e-12));
        assertThat(sum).isCloseTo(e.evidence().get(0).image(), within(1e-12));
    }

    @Test
    void regionsThatCrossFramesJoinThemIntoOneGroup() {
        FrameLayout layout = layout(3);
        RgbImage canvas = layout.compose(Collections.nCopies(3, RgbImage.filled(4, 4, 0x808080)));
        int[] labels = new int[canvas.width() * canvas.height()];
        java.util.Arrays.fill(labels, RegionSet.UNLABELLED);
        for (int y = 0; y < canvas.height(); y++) {
            for (int x = 0; x < canvas.width(); x++) {
                int f = layout.frameAt(x, y);
                // frames 0 and 1 share region 0; frame 2 is region 1
                labels[y * canvas.width() + x] = f < 0 ? RegionSet.UNLABELLED : f < 2 ? 0 : 1;
            }
        }
        RegionSet regions = RegionSet.fromLabels(canvas.width(), canvas.height(), labels);
        assertThat(ImageShares.frameGroups(layout, regions)).containsExactly(List.of(0, 1), List.of(2));
    }

    /** The Shapley values of a game given by its subsets. */
    @Test
    void shapleyOfAGloveGame() {
        // players 0 and 1 hold left gloves, 2 a right glove: a pair is worth 1
        double[] phi = ImageShares.shapley(3, s -> (s & 4) != 0 && (s & 3) != 0 ? 1 : 0);
        assertThat(phi).containsExactly(new double[] {1 / 6.0, 1 / 6.0, 2 / 3.0}, within(1e-12));
    }

    private interface Game {
        double p(TextMaskBatch batch, int i);
    }

    private static double kept(TextMaskBatch batch, int i, int region) {
        return batch.images().isKept(i, region) ? 1 : 0;
    }

    private static FrameLayout layout(int frames) {
        return FrameLayout.of(Collections.nCopies(frames, RgbImage.filled(4, 4, 0x808080)));
    }

    private static TokenScorer scorer(FrameLayout layout, Game game) {
        return new JointExplainerTest.AnalyticScorer(TASK) {
            @Override
            double p(TextMaskBatch batch, int i) {
                return game.p(batch, i);
            }

            @Override
            public Optional<FrameLayout> frames() {
                return Optional.of(layout);
            }
        };
    }

    private static JointExplanation explain(FrameLayout layout, TokenScorer scorer) {
        List<RgbImage> images = new ArrayList<>(Collections.nCopies(layout.count(), RgbImage.filled(4, 4, 0x808080)));
        RgbImage canvas = layout.compose(images);
        RegionSet regions = new FrameSegmenter(layout, new GridSegmenter(2, 2)).segment(canvas);
        return new JointExplainer(ExplainOptions.defaults(), SpanMode.WORDS, TextMask.PAD).explain(canvas, regions, scorer, ProgressListener.NONE);
    }
}
