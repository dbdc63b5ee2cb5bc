package io.github.eagle4j.report;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.regions.GridSegmenter;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An explanation with hostile text everywhere (prompt, answer, tokens, provenance), computed by the real
 * explainer with an analytic scorer that "sees" red pixels, on a small synthetic scene.
 */
final class ReportFixtures {
    static final String HOSTILE_PROMPT = "<img src=x onerror=alert(1)>";
    static final String HOSTILE_ANSWER = "a <b>red</b> square </script><script>alert(3)</script> & \"more\"";
    static final List<String> TOKENS = List.of("▁a", "▁<b>red</b>", "▁square", "▁</script><script>alert(3)</script>",
            "▁&", "▁\"more\"", "</s>");
    static final String HOSTILE_MODEL = "\"><svg onload=alert(2)>";
    static final int W = 160;
    static final int H = 120;

    private ReportFixtures() {
    }

    /** A grey gradient with a red square (x 96..127, y 24..55) and a green bar. */
    static RgbImage scene() {
        int[] px = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int g = 120 + (x + y) / 6;
                int p = (g << 16) | (g << 8) | (g + 10);
                if (x >= 96 && x < 128 && y >= 24 && y < 56) {
                    p = 0xDC2828;
                } else if (x >= 20 && x < 70 && y >= 80 && y < 96) {
                    p = 0x2E9E4F;
                }
                px[y * W + x] = p;
            }
        }
        return RgbImage.of(W, H, px);
    }

    /** The explanation of tokens 1, 2 and 6 (red, square, end) on a 6×8 grid. */
    static Explanation explanation() {
        return explanation(0, 1, 2);
    }

    /**
     * The explanation of some of the targets (0: "red", which the image decides; 1: "square", partly; 2: the end
     * token, which hardly depends on the image; 3: a token the red square lifts from 0.3 to 0.6).
     */
    static Explanation explanation(int... columns) {
        List<Target> all = List.of(new Target(1, TOKENS.get(1), 101), new Target(2, TOKENS.get(2), 102),
                new Target(6, TOKENS.get(6), 2), new Target(3, TOKENS.get(3), 103));
        List<Target> targets = java.util.Arrays.stream(columns).mapToObj(all::get).toList();
        ScoringTask task = new ScoringTask(HOSTILE_PROMPT, HOSTILE_ANSWER, TOKENS, targets);
        TokenScorer scorer = new TokenScorer() {
            @Override
            public ScoringTask task() {
                return task;
            }

            @Override
            public double[][] score(List<RgbImage> images) {
                double[][] out = new double[images.size()][columns.length];
                for (int i = 0; i < images.size(); i++) {
                    RgbImage img = images.get(i);
                    int red = 0;
                    int green = 0;
                    int visible = 0;
                    for (int k = 0; k < img.pixelCount(); k++) {
                        int p = img.rgbAt(k);
                        if (p != 0) {
                            visible++;
                        }
                        if (p == 0xDC2828) {
                            red++;
                        } else if (p == 0x2E9E4F) {
                            green++;
                        }
                    }
                    double r = red / (32.0 * 32.0);
                    double g = green / (50.0 * 16.0);
                    double v = visible / (double) img.pixelCount();
                    double[] p = {0.03 + 0.94 * r, 0.25 + 0.45 * r + 0.2 * g, 0.80 + 0.1 * v, 0.30 + 0.30 * r};
                    for (int c = 0; c < columns.length; c++) {
                        out[i][c] = p[columns[c]];
                    }
                }
                return out;
            }

            @Override
            public ScorerDescription description() {
                return new ScorerDescription("test", HOSTILE_MODEL, "fp64", false);
            }
        };
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(6, 8)).build();
        return new Explainer(options).explain(scene(), scorer);
    }

    /** Writes the explanation folder (with a pointing-game result) into {@code dir}. */
    static Explanation write(Path dir) {
        Explanation e = explanation();
        ExplanationWriter.write(e, scene(), dir, Map.of("pointingGame", Map.of("box", true)));
        return e;
    }
}
