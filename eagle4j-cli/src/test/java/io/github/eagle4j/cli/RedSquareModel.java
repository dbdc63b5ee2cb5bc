package io.github.eagle4j.cli;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.ModelProvider;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model written for the CLI tests (registered only on the test class path): it "sees" red pixels. The
 * probability of the words {@code red} and {@code square} is the share of a 16×16 red square's pixels still
 * visible; every other token has a fixed language-prior probability. It lets the CLI run end to end
 * without a real model, with an answer whose correct explanation is known.
 */
public final class RedSquareModel implements VisionLanguageModel {
    /** Pixels of the red square the tests draw. */
    static final int SQUARE_PIXELS = 16 * 16;
    static final double PRIOR = 0.9;
    /** Largest batch the scorer accepts in one call; larger lists are split, as real backends do. */
    static final int MAX_BATCH = 64;

    /** Opens {@code test:red-square}. */
    public static final class Provider implements ModelProvider {
        @Override
        public Set<String> backends() {
            return Set.of("test");
        }

        @Override
        public boolean accepts(String model) {
            return model.startsWith("test:");
        }

        @Override
        public VisionLanguageModel open(String model, Map<String, String> settings) {
            if (!model.equals("test:red-square")) {
                throw new io.github.eagle4j.InvalidInputException("--model " + model + ": unknown test model");
            }
            return new RedSquareModel();
        }
    }

    @Override
    public Generation generate(RgbImage image, String prompt, int maxNewTokens) {
        String text = redPixels(image) > 0 ? "a red square ." : "nothing .";
        if (prompt.contains("[split]") && text.contains("square")) {
            // a generation whose tokens are not those of its text read back (as a model may split a word its
            // tokenizer would keep whole)
            return new Generation(text, answerTokens(prompt, "a red squ are ."));
        }
        return new Generation(text, answerTokens(prompt, text));
    }

    @Override
    public List<AnswerToken> answerTokens(String prompt, String answer) {
        List<AnswerToken> out = new ArrayList<>();
        String[] words = answer.strip().isEmpty() ? new String[0] : answer.strip().split("\\s+");
        for (String w : words) {
            out.add(new AnswerToken(out.size(), w, Math.abs(w.hashCode() % 1000)));
        }
        if (!out.isEmpty()) {
            out.add(new AnswerToken(out.size(), "</s>", 2));
        }
        return out;
    }

    @Override
    public TokenScorer scorer(String prompt, String answer, List<Integer> targetIndices) {
        List<AnswerToken> tokens = answerTokens(prompt, answer);
        List<Target> targets = new ArrayList<>();
        for (int i : targetIndices) {
            targets.add(new Target(i, tokens.get(i).text(), tokens.get(i).id()));
        }
        ScoringTask task = new ScoringTask(prompt, answer, tokens.stream().map(AnswerToken::text).toList(), targets);
        return new TokenScorer() {
            @Override
            public ScoringTask task() {
                return task;
            }

            @Override
            public double[][] score(List<RgbImage> images) {
                double[][] out = new double[images.size()][targets.size()];
                for (int i = 0; i < images.size(); i++) {
                    double visible = Math.min(1.0, redPixels(images.get(i)) / (double) SQUARE_PIXELS);
                    for (int t = 0; t < targets.size(); t++) {
                        String w = targets.get(t).token();
                        out[i][t] = w.equals("red") || w.equals("square") ? 0.02 + 0.96 * visible : PRIOR;
                    }
                }
                return out;
            }

            @Override
            public int maxBatchSize() {
                return MAX_BATCH;
            }

            @Override
            public ScorerDescription description() {
                return RedSquareModel.this.description();
            }
        };
    }

    @Override
    public ScorerDescription description() {
        return new ScorerDescription("test", "test:red-square", "fp64", false);
    }

    @Override
    public void close() {
    }

    static int redPixels(RgbImage image) {
        int n = 0;
        for (int i = 0; i < image.pixelCount(); i++) {
            int p = image.rgbAt(i);
            if (((p >> 16) & 255) > 180 && ((p >> 8) & 255) < 80 && (p & 255) < 80) {
                n++;
            }
        }
        return n;
    }
}
