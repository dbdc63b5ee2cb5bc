package io.github.eagle4j.onnx;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExplainBenchmarkTest {

    @Test
    void measuresExplanationsAndRawRunsPerBatchSize() {
        Goldens g = Goldens.main();
        RgbImage image = g.load("scene");
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(3, 3)).build();
        ExplainBenchmarkResult r = ExplainBenchmark.run(g.modelDir, image, OnnxBenchmark.DEFAULT_PROMPT,
                OnnxSettings.defaults().withParallel(2), options, List.of(1, 4), 1, 3, Duration.ZERO);
        assertThat(r.rows()).extracting(ExplainBenchmarkResult.Row::batchSize).containsExactly(1, 4);
        assertThat(r.search()).isEqualTo("full");
        assertThat(r.regions()).isEqualTo(9);
        assertThat(r.parallel()).isEqualTo(2);
        for (ExplainBenchmarkResult.Row row : r.rows()) {
            // full greedy scores N(N+1) images
            assertThat(row.imagesPerExplanation()).isEqualTo(90);
            assertThat(row.coldImagesPerSecond()).isPositive();
            assertThat(row.warmImagesPerSecond()).isPositive();
            assertThat(row.coldFirstStepPerSecond()).isPositive();
            assertThat(row.coldLaterStepsPerSecond()).isPositive();
            assertThat(row.rawImagesPerSecond()).isPositive();
            assertThat(row.warmRatio()).isEqualTo(row.warmImagesPerSecond() / row.rawImagesPerSecond());
            // the warm-up stops once the JIT compiler is quiet, after 2 explanations at the least and 3 at the most
            assertThat(row.warmUpExplanations()).isBetween(2, 3);
            assertThat(row.warmJitShare()).isNotNegative();
        }
    }
}
