package io.github.eagle4j.onnx;

import io.github.eagle4j.Fill;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.regions.GridSegmenter;
import io.github.eagle4j.regions.SlicSegmenter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ONNX scorer's masked-batch entry point (masked images resized from per-region sums, never rendered) gives
 * exactly the probabilities of scoring the rendered images, for a fixed-resolution and a dynamic-resolution family
 * and every fill.
 */
class MaskedBatchScoringTest {
    @Test
    void scoringABatchByRecipeEqualsScoringItsImages() {
        Random random = new Random(17);
        for (Path dir : List.of(Path.of("..", "models", "tiny-shapes-llava"),
                Path.of("..", "fixtures", "models", "tiny-random-qwen2-vl"))) {
            try (OnnxModel model = OnnxModel.open(dir)) {
                RgbImage image = randomImage(random, 90, 70);
                String prompt = "Describe the image.";
                String answer = model.generate(image, prompt, 6).text();
                if (answer.isBlank()) {
                    answer = "a";
                }
                try (OnnxTokenScorer scorer = model.scorer(prompt, answer, TargetSelection.all(model.answerTokens(prompt, answer)))) {
                    for (Fill fill : Fill.values()) {
                        Masker masker = new Masker(image, fill == Fill.BLACK ? new GridSegmenter(4, 5).segment(image)
                                : new SlicSegmenter(20).segment(image), fill);
                        int n = masker.regions().regionCount();
                        List<BitSet> kept = new ArrayList<>();
                        kept.add(new BitSet());
                        BitSet all = new BitSet();
                        all.set(0, n);
                        kept.add(all);
                        for (int i = 0; i < 4; i++) {
                            BitSet s = new BitSet();
                            for (int r = 0; r < n; r++) {
                                if (random.nextBoolean()) {
                                    s.set(r);
                                }
                            }
                            kept.add(s);
                        }
                        MaskedBatch batch = new MaskedBatch(masker, kept);
                        assertThat(scorer.scoreMasked(batch)).as("%s, %s fill", dir.getFileName(), fill)
                                .isDeepEqualTo(scorer.score(batch.images()));
                    }
                }
            }
        }
    }

    private static RgbImage randomImage(Random random, int w, int h) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = random.nextInt(0x1000000);
        }
        return RgbImage.of(w, h, px);
    }
}
