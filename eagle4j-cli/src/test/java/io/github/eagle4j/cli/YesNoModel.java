package io.github.eagle4j.cli;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.InvalidInputException;
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
 * A model written for the diagnose and evaluate tests (registered only on the test class path). It captions
 * like {@link RedSquareModel} ({@code a red square .} when red pixels are visible) and answers questions
 * "Is there ...?" with {@code yes} when at least {@link #YES_PIXELS} reddish pixels are visible — red <em>or</em>
 * magenta, so a magenta distractor fools it: asked "Is there a red square?" about an image with only a magenta
 * patch, it says {@code yes} though the truth is {@code no}. Scoring: {@code red}/{@code square} follow the visible
 * share of a 16×16 red square, {@code yes} the visible reddish pixels, {@code no} = 1 − p(yes), other tokens 0.9.
 *
 * <p>The environment variable {@code EAGLE4J_TEST_SCORE_DELAY_MS} makes every scorer call sleep that long, so a
 * test can kill a run in the middle.
 */
public final class YesNoModel implements VisionLanguageModel {
    static final int YES_PIXELS = 24;
    static final int MAGENTA = 0xE020E0;
    static final int RED = 0xDC2828;

    /** Opens {@code toy:yes-no}. */
    public static final class Provider implements ModelProvider {
        @Override
        public Set<String> backends() {
            return Set.of("test-yes-no");
        }

        @Override
        public boolean accepts(String model) {
            return model.equals("toy:yes-no");
        }

        @Override
        public VisionLanguageModel open(String model, Map<String, String> settings) {
            if (!accepts(model)) {
                throw new InvalidInputException("--model " + model + ": unknown test model");
            }
            return new YesNoModel();
        }
    }

    private final long delayMs;

    YesNoModel() {
        String d = System.getenv("EAGLE4J_TEST_SCORE_DELAY_MS");
        delayMs = d == null || d.isBlank() ? 0 : Long.parseLong(d.strip());
    }

    @Override
    public Generation generate(RgbImage image, String prompt, int maxNewTokens) {
        String text;
        if (prompt.startsWith("Is there")) {
            text = reddish(image) >= YES_PIXELS ? "yes" : "no";
        } else {
            text = RedSquareModel.redPixels(image) > 0 ? "a red square ." : "nothing .";
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
                if (delayMs > 0) {
                    try {
                        Thread.sleep(delayMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                double[][] out = new double[images.size()][targets.size()];
                for (int i = 0; i < images.size(); i++) {
                    RgbImage img = images.get(i);
                    double red = Math.min(1.0, RedSquareModel.redPixels(img) / 256.0);
                    double yes = 0.05 + 0.9 * Math.min(1.0, reddish(img) / 64.0);
                    for (int t = 0; t < targets.size(); t++) {
                        String w = targets.get(t).token();
                        out[i][t] = switch (w) {
                            case "red", "square" -> 0.02 + 0.96 * red;
                            case "yes" -> yes;
                            case "no" -> 1 - yes;
                            default -> 0.9;
                        };
                    }
                }
                return out;
            }

            @Override
            public ScorerDescription description() {
                return YesNoModel.this.description();
            }
        };
    }

    @Override
    public ScorerDescription description() {
        return new ScorerDescription("test-yes-no", "toy:yes-no", "fp64", false);
    }

    @Override
    public void close() {
    }

    /** Red or magenta pixels. */
    static int reddish(RgbImage image) {
        int n = 0;
        for (int i = 0; i < image.pixelCount(); i++) {
            int p = image.rgbAt(i);
            int r = (p >> 16) & 255;
            int g = (p >> 8) & 255;
            if (r > 180 && g < 80) {
                n++;
            }
        }
        return n;
    }
}
