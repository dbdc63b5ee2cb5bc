package io.github.eagle4j.onnx;

import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.ModelProvider;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.VisionLanguageModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class OnnxBenchmarkTest {

    @Test
    void measuresEveryBatchSize() {
        Goldens g = Goldens.main();
        RgbImage image = g.load("scene");
        try (OnnxModel m = OnnxModel.open(g.modelDir, OnnxSettings.defaults().withParallel(2))) {
            BenchmarkResult r = OnnxBenchmark.run(m, image, OnnxBenchmark.DEFAULT_PROMPT, OnnxBenchmark.BATCH_SIZES, Duration.ZERO);
            assertThat(r.rows()).extracting(BenchmarkResult.Row::batchSize).containsExactly(1, 8, 32);
            assertThat(r.parallel()).isEqualTo(2);
            assertThat(r.device()).isEqualTo("cpu");
            for (BenchmarkResult.Row row : r.rows()) {
                assertThat(row.images()).isEqualTo(2 * row.batchSize());
                assertThat(row.imagesPerSecond()).isPositive();
                assertThat(row.outsideOrtShare()).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void maskedCopiesKeepTheSizeAndBlackenCells() {
        RgbImage img = RgbImage.filled(16, 8, 0xFFFFFF);
        MaskedBatch batch = OnnxBenchmark.masked(OnnxBenchmark.gridMasker(img), 3, new java.util.Random(0));
        List<RgbImage> m = batch.images();
        assertThat(m).hasSize(3).allSatisfy(i -> assertThat(i.width()).isEqualTo(16));
        assertThat(m.get(0).pixels()).contains(0, 0xFFFFFF);
    }

    @Test
    void providerIsFoundAndOpensModelDirectories() {
        ModelProvider p = ServiceLoader.load(ModelProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.backends().contains("onnx")).findFirst().orElseThrow();
        String dir = Goldens.main().modelDir.toString();
        assertThat(p.accepts(dir)).isTrue();
        assertThat(p.accepts(Goldens.GOLDENS.toString())).isFalse();
        assertThat(p.accepts("http://localhost:8000/v1")).isFalse();
        try (VisionLanguageModel m = p.open(dir, Map.of("threads", "1", "batchSize", "4", "parallel", "1", "unknown", "x"))) {
            assertThat(((OnnxModel) m).batchSize()).isEqualTo(4);
            assertThat(m.description().model()).endsWith("tiny-shapes-llava");
        }
    }

    @Test
    void scoringAfterCloseFailsCleanly() {
        Goldens g = Goldens.main();
        OnnxModel m = OnnxModel.open(g.modelDir, OnnxSettings.defaults().withParallel(1));
        OnnxTokenScorer s = m.scorer("Is there a red circle?", "yes", List.of(0));
        m.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.score(List.of(g.load("scene"))))
                .isInstanceOf(io.github.eagle4j.ScoringException.class).hasMessageContaining("closed");
        m.close();
    }

    @Test
    void settingsNameTheBadKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OnnxSettings.fromMap(Map.of("threads", "two")))
                .hasMessageContaining("threads");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OnnxSettings.fromMap(Map.of("device", "tpu")))
                .hasMessageContaining("device");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OnnxSettings.fromMap(Map.of("dtype", "fp8")))
                .hasMessageContaining("dtype");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OnnxSettings.fromMap(Map.of("batchSize", "-1")))
                .hasMessageContaining("batchSize");
        assertThat(OnnxSettings.fromMap(Map.of()).threads()).isEqualTo(1);
    }
}
