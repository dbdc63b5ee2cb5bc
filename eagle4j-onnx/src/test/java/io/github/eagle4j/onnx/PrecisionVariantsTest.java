package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.onnx.hub.HfCache;
import io.github.eagle4j.onnx.hub.HfCacheTest;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.runtime.GraphFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Precision variants ({@code dtype}) and external weights: the committed fp16 decoder (float16 weights and KV cache,
 * fp32 {@code inputs_embeds}/{@code logits}) against the fp32 goldens, file selection and its errors, and graphs
 * whose weights live in {@code .onnx_data} / {@code .onnx_data_1} files reached through a Hugging Face cache
 * snapshot of symbolic links.
 */
class PrecisionVariantsTest {
    /** fp16 weights vs the fp32 PyTorch goldens. */
    private static final double FP16_TOLERANCE = 2e-2;

    @TempDir
    Path tmp;

    @Test
    void fp16DecoderMatchesTheFp32GoldensAndGeneratesTheSameAnswer() {
        Goldens g = Goldens.main();
        try (OnnxModel m = OnnxModel.open(g.modelDir, OnnxSettings.defaults().withDtype("fp16").withParallel(1))) {
            assertThat(m.dtype()).isEqualTo("fp16");
            assertThat(m.description().precision()).startsWith("fp16 ");
            assertThat(m.graphs().files()).isEqualTo(new GraphFiles("fp16", "onnx/vision_encoder.onnx", "onnx/embed_tokens.onnx",
                    "onnx/decoder_model_merged_fp16.onnx"));
            double diff = 0;
            for (JsonNode c : g.json.get("cases")) {
                String prompt = c.get("prompt").asText();
                String answer = c.get("answer").asText();
                try (var scorer = m.scorer(prompt, answer, TargetSelection.all(m.answerTokens(prompt, answer)), 8)) {
                    for (JsonNode p : c.get("probabilities")) {
                        double[][] got = scorer.score(List.of(g.load(p.get("name").asText())));
                        double[] want = Goldens.doubles(p.get("probs"));
                        for (int i = 0; i < want.length; i++) {
                            diff = Math.max(diff, Math.abs(got[0][i] - want[i]));
                        }
                    }
                }
                JsonNode greedy = c.get("greedy");
                long[] ids = Goldens.longs(greedy.get("ids"));
                VisionLanguageModel.Generation gen = m.generate(g.load(greedy.get("image").asText()), prompt, ids.length);
                assertThat(gen.tokens().stream().mapToLong(AnswerToken::id).toArray()).containsExactly(ids);
                assertThat(gen.text()).isEqualTo(greedy.get("text").asText());
            }
            System.out.printf(Locale.ROOT, "fp16 vs fp32 goldens: max |p16 - p32| = %.3g%n", diff);
            assertThat(diff).isLessThanOrEqualTo(FP16_TOLERANCE);
        }
    }

    @Test
    void autoPrefersFp32() {
        ModelDirectory dir = ModelDirectory.open(Goldens.main().modelDir);
        assertThat(GraphFiles.present(dir)).containsExactly("fp32", "fp16");
        assertThat(GraphFiles.choose(dir, "auto").dtype()).isEqualTo("fp32");
        assertThat(GraphFiles.choose(dir, "auto").decoder()).isEqualTo("onnx/decoder_model_merged.onnx");
    }

    @Test
    void autoTakesTheVariantPresentAndFallsBackToFp32VisionAndEmbeddings() throws IOException {
        Path dir = copyModel(tmp.resolve("m"));
        Files.delete(dir.resolve("onnx/decoder_model_merged.onnx"));
        try (OnnxModel m = OnnxModel.open(dir)) {
            assertThat(m.dtype()).isEqualTo("fp16");
            assertThat(m.graphs().files().vision()).isEqualTo("onnx/vision_encoder.onnx");
        }
        // a variant of the vision encoder is used when it exists
        Files.copy(dir.resolve("onnx/vision_encoder.onnx"), dir.resolve("onnx/vision_encoder_fp16.onnx"));
        assertThat(GraphFiles.choose(ModelDirectory.open(dir), "fp16").vision()).isEqualTo("onnx/vision_encoder_fp16.onnx");
        Files.delete(dir.resolve("onnx/decoder_model_merged_fp16.onnx"));
        assertThatThrownBy(() -> OnnxModel.open(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("onnx/decoder_model_merged.onnx").hasMessageNotContaining("\n");
    }

    @Test
    void absentVariantNamesTheFileAndTheDtypesPresent() {
        Path dir = Goldens.main().modelDir;
        for (String dtype : List.of("q4f16", "quantized")) {
            assertThatThrownBy(() -> OnnxModel.open(dir, OnnxSettings.defaults().withDtype(dtype)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("dtypes present: fp32, fp16")
                    .hasMessageContaining(dtype.equals("quantized") ? "decoder_model_merged_quantized.onnx" : "decoder_model_merged_q4f16.onnx")
                    .hasMessageNotContaining("\n");
        }
        assertThat(OnnxSettings.fromMap(Map.of("dtype", "Quantized")).dtype()).isEqualTo("q8");
    }

    @Test
    void externalDataThroughSymbolicLinksOfAHuggingFaceSnapshot() throws IOException {
        // hub/models--acme--tiny/snapshots/<sha>/… are links into blobs/, as huggingface_hub writes them
        Path hub = tmp.resolve("hub");
        Path repo = HfCacheTest.fakeRepo(hub, "acme", "tiny");
        Path staged = copyModel(tmp.resolve("staged"));
        Path ext = Goldens.REPO.resolve("fixtures/models/external-data/onnx");
        for (String f : List.of("embed_tokens.onnx", "embed_tokens.onnx_data", "embed_tokens.onnx_data_1")) {
            Files.copy(ext.resolve(f), staged.resolve("onnx").resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path snapshot = repo.resolve("snapshots").resolve(HfCacheTest.MAIN);
        int n = 0;
        try (Stream<Path> files = Files.walk(staged)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path blob = repo.resolve("blobs").resolve("blob" + n++);
                Files.move(p, blob);
                Path link = snapshot.resolve(staged.relativize(p).toString());
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, link.getParent().relativize(blob));
            }
        }
        OnnxModelProvider provider = new OnnxModelProvider(new HfCache(Map.of("HF_HUB_CACHE", hub.toString())::get, tmp));
        Goldens g = Goldens.main();
        try (OnnxModel m = (OnnxModel) provider.open("acme/tiny", Map.of("parallel", "1"))) {
            assertThat(m.directory()).isEqualTo(snapshot);
            JsonNode c = g.json.get("cases").get(0);
            String prompt = c.get("prompt").asText();
            String answer = c.get("answer").asText();
            try (var scorer = m.scorer(prompt, answer, TargetSelection.all(m.answerTokens(prompt, answer)))) {
                JsonNode p = c.get("probabilities").get(0);
                double[] got = scorer.score(List.of(g.load(p.get("name").asText())))[0];
                double[] want = Goldens.doubles(p.get("probs"));
                for (int i = 0; i < want.length; i++) {
                    assertThat(got[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    private static Path copyModel(Path dst) throws IOException {
        Path src = Goldens.main().modelDir;
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return dst;
    }
}
