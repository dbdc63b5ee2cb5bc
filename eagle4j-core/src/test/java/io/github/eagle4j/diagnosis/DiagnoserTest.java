package io.github.eagle4j.diagnosis;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The diagnosis procedure end to end on a model fooled by a magenta distractor. */
class DiagnoserTest {
    private static final int MAGENTA = 0xFF00FF;

    /**
     * Asked "Is there a red square?", says {@code yes} whenever any magenta pixel is visible (the distractor);
     * the true answer is {@code no}. p(no) falls with the visible share of the distractor.
     */
    static final class FooledModel implements VisionLanguageModel {
        final AtomicInteger generations = new AtomicInteger();

        @Override
        public Generation generate(RgbImage image, String prompt, int maxNewTokens) {
            generations.incrementAndGet();
            String text = magenta(image) > 0 ? "yes" : "no";
            return new Generation(text, answerTokens(prompt, text));
        }

        @Override
        public List<AnswerToken> answerTokens(String prompt, String answer) {
            List<AnswerToken> out = new ArrayList<>();
            for (String w : answer.strip().split("\\s+")) {
                out.add(new AnswerToken(out.size(), w, w.equals("no") ? 11 : 12));
            }
            out.add(new AnswerToken(out.size(), "</s>", 2));
            return out;
        }

        @Override
        public TokenScorer scorer(String prompt, String answer, List<Integer> targetIndices) {
            List<AnswerToken> tokens = answerTokens(prompt, answer);
            AnswerToken t = tokens.get(targetIndices.get(0));
            ScoringTask task = new ScoringTask(prompt, answer, tokens.stream().map(AnswerToken::text).toList(),
                    List.of(new Target(t.index(), t.text(), t.id())));
            return new TokenScorer() {
                @Override
                public ScoringTask task() {
                    return task;
                }

                @Override
                public double[][] score(List<RgbImage> images) {
                    double[][] out = new double[images.size()][1];
                    for (int i = 0; i < out.length; i++) {
                        double pNo = 0.9 - 0.8 * magenta(images.get(i)) / 16.0;
                        out[i][0] = t.text().equals("no") ? pNo : 1 - pNo;
                    }
                    return out;
                }
            };
        }

        @Override
        public ScorerDescription description() {
            return new ScorerDescription("test", "fooled", "fp64", false);
        }

        @Override
        public void close() {
        }

        static int magenta(RgbImage image) {
            int n = 0;
            for (int i = 0; i < image.pixelCount(); i++) {
                n += image.rgbAt(i) == MAGENTA ? 1 : 0;
            }
            return n;
        }
    }

    /** 8×8 grey image, the magenta distractor fills the bottom-right 4×4 quadrant (grid region 3). */
    static RgbImage image() {
        int[] px = new int[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                px[y * 8 + x] = x >= 4 && y >= 4 ? MAGENTA : 0x808080;
            }
        }
        return RgbImage.of(8, 8, px);
    }

    @Test
    void removingTheDistractorCorrectsTheAnswer() {
        FooledModel model = new FooledModel();
        RgbImage img = image();
        RegionSet regions = new GridSegmenter(2, 2).segment(img);
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 2)).build();
        List<Integer> progress = new ArrayList<>();
        Diagnosis d = new Diagnoser(options, 4, 1).diagnose(model, img, regions, "Is there a red square?", "no",
                ProgressListener.NONE, (done, total, n) -> progress.add(done));

        assertThat(d.modelAnswer()).isEqualTo("yes");
        assertThat(d.hallucinated()).isTrue();
        assertThat(d.explanation().targets()).singleElement().satisfies(t -> {
            assertThat(t.index()).isZero();
            assertThat(t.token()).isEqualTo("no");
        });
        // the distractor suppresses "no" most: ranked last
        assertThat(d.explanation().curves().order()).containsExactly(0, 1, 2, 3);
        assertThat(d.revisedAnswers()).containsExactly("no", "no", "no", "yes");
        Correction c = d.correction();
        assertThat(c.correctingK()).isEqualTo(3);
        assertThat(c.culpritRegions()).containsExactly(3);
        assertThat(c.mcr()).isCloseTo(0.25, within(1e-12));
        assertThat(d.generations()).isEqualTo(5);
        assertThat(model.generations.get()).isEqualTo(5);
        assertThat(progress).containsExactly(1, 2, 3, 4);
    }

    @Test
    void parallelReGenerationGivesTheSameAnswers() {
        FooledModel model = new FooledModel();
        RgbImage img = image();
        RegionSet regions = new GridSegmenter(2, 2).segment(img);
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 2)).build();
        Diagnosis d = new Diagnoser(options, 4, 3).diagnose(model, img, regions, "Is there a red square?", "no",
                ProgressListener.NONE, ProgressListener.NONE);
        assertThat(d.revisedAnswers()).containsExactly("no", "no", "no", "yes");
    }

    @Test
    void aCorrectAnswerIsExplainedButNotScanned() {
        FooledModel model = new FooledModel();
        RgbImage img = image();
        RegionSet regions = new GridSegmenter(2, 2).segment(img);
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 2)).build();
        Diagnosis d = new Diagnoser(options, 4, 1).diagnose(model, img, regions, "Is there a magenta square?", "yes",
                ProgressListener.NONE, ProgressListener.NONE);
        assertThat(d.hallucinated()).isFalse();
        assertThat(d.correction()).isNull();
        assertThat(d.revisedAnswers()).isEmpty();
        assertThat(d.explanation().curves().order()[0]).isEqualTo(3);
        assertThat(d.generations()).isEqualTo(1);
    }
}
