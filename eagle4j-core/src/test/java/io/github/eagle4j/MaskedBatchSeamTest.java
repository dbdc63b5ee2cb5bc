package io.github.eagle4j;

import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search reaches a scorer through {@link TokenScorer#scoreMasked} (one masked batch per step), so a backend that
 * preprocesses from the recipe never needs the pixels; a scorer that implements only {@link TokenScorer#score}
 * gets the rendered images and the same explanation.
 */
class MaskedBatchSeamTest {
    private static final RgbImage IMAGE = scene();

    /** A 24×24 image, bright in the top-left quarter. */
    private static RgbImage scene() {
        int[] px = new int[24 * 24];
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 24; x++) {
                px[y * 24 + x] = x < 12 && y < 12 ? 0xF0F0F0 : 0x202020;
            }
        }
        return RgbImage.of(24, 24, px);
    }

    private static final ScoringTask TASK = new ScoringTask("Bright?", "yes", List.of("yes"), List.of(new Target(0, "yes", 1)));

    /** Probability = share of bright pixels visible, from the pixels. */
    private static double[] brightness(RgbImage image) {
        int bright = 0;
        for (int p = 0; p < image.pixelCount(); p++) {
            if ((image.rgbAt(p) & 0xFF) > 200) {
                bright++;
            }
        }
        return new double[] {0.05 + 0.9 * bright / 144.0};
    }

    /** Scores from the pixels only. */
    private static class PixelScorer implements TokenScorer {
        int scoreCalls;

        @Override
        public ScoringTask task() {
            return TASK;
        }

        @Override
        public double[][] score(List<RgbImage> images) {
            scoreCalls++;
            double[][] out = new double[images.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = brightness(images.get(i));
            }
            return out;
        }
    }

    /** Scores from the recipe: the kept share of the bright quarter's four grid cells, never the pixels. */
    private static final class RecipeScorer extends PixelScorer {
        final List<Integer> batchSizes = new ArrayList<>();

        @Override
        public double[][] scoreMasked(MaskedBatch batch) {
            batchSizes.add(batch.size());
            double[][] out = new double[batch.size()][];
            for (int i = 0; i < out.length; i++) {
                int keptBright = 0;
                for (int cell : new int[] {0, 1, 4, 5}) {
                    keptBright += batch.isKept(i, cell) ? 1 : 0;
                }
                out[i] = new double[] {0.05 + 0.9 * keptBright / 4.0};
            }
            return out;
        }
    }

    @Test
    void theSearchScoresMaskedBatchesThroughTheRecipeEntryPoint() {
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(4, 4)).search(SearchKind.FULL).build();
        RecipeScorer recipe = new RecipeScorer();
        Explanation byRecipe = new Explainer(options).explain(IMAGE, recipe);
        assertThat(recipe.scoreCalls).as("calls with rendered images").isZero();
        assertThat(recipe.batchSizes).isNotEmpty();
        assertThat(recipe.batchSizes.stream().mapToLong(Integer::longValue).sum()).isEqualTo(byRecipe.cost().forwardPasses());

        PixelScorer pixels = new PixelScorer();
        Explanation byPixels = new Explainer(options).explain(IMAGE, pixels);
        assertThat(pixels.scoreCalls).as("the default renders the batch and calls score").isPositive();
        assertThat(byPixels.curves().order()).containsExactly(byRecipe.curves().order());
        assertThat(byPixels.metrics().insertionAuc()).isEqualTo(byRecipe.metrics().insertionAuc());
    }
}
