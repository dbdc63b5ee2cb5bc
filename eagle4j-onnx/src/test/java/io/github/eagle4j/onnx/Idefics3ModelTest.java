package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.onnx.family.Idefics3Family;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.text.EncodedConversation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tiny Idefics3 fixture opened with {@link OnnxModel} against its PyTorch goldens: token ids, positions,
 * teacher-forced probabilities at batch 1 and 3 (intact and masked images, three tile layouts), the fp16 decoder,
 * greedy generation, and one-line errors when the processor files disagree with the graphs.
 */
class Idefics3ModelTest {
    private static final double TOLERANCE = 1e-4;
    private static final double FP16_TOLERANCE = 2e-2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static OnnxModel model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        model = OnnxModel.open(Idefics3Goldens.MODEL_DIR, OnnxSettings.defaults().withParallel(1));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static List<JsonNode> cases() {
        return Idefics3Goldens.cases();
    }

    @Test
    void opensAsTheIdefics3Family() {
        assertThat(model.familyName()).isEqualTo("idefics3");
        Idefics3Family f = (Idefics3Family) model.family();
        assertThat(f.imageSeqLen()).isEqualTo(Idefics3Goldens.json().get("imageSeqLen").asInt());
        for (String name : Idefics3Goldens.imageNames()) {
            JsonNode e = Idefics3Goldens.image(name);
            ImageLayout l = f.imageProcessor().layout(e.get("width").asInt(), e.get("height").asInt());
            assertThat(l.imageTokens()).isEqualTo(e.get("imageTokens").asInt());
            assertThat(l.grid()).containsExactly(e.get("rows").asInt(), e.get("cols").asInt());
            assertThat(model.imageTokenCount(l.width(), l.height())).isEqualTo(l.imageTokens());
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void textTokenIdsAndPositionsEqualTheGoldens(JsonNode c) {
        JsonNode img = Idefics3Goldens.image(c.get("image").asText());
        int w = img.get("width").asInt();
        int h = img.get("height").asInt();
        EncodedConversation e = model.encode(c.get("prompt").asText(), c.get("answer").asText(), w, h);
        assertThat(e.promptText()).isEqualTo(c.get("promptText").asText());
        assertThat(e.fullText()).isEqualTo(c.get("fullText").asText());
        assertThat(e.promptIds()).containsExactly(Goldens.longs(c.get("promptIds")));
        assertThat(e.fullIds()).containsExactly(Goldens.longs(c.get("scoredIds")));
        assertThat(e.answerStart()).isEqualTo(c.get("answerStart").asInt());
        assertThat(e.answerTokens().stream().map(AnswerToken::id).toList())
                .containsExactlyElementsOf(boxed(Goldens.longs(c.get("answerIds"))));
        List<String> tokens = new ArrayList<>();
        c.get("answerTokens").forEach(t -> tokens.add(t.asText()));
        assertThat(e.answerTokens().stream().map(AnswerToken::text).toList()).isEqualTo(tokens);
        long[][] pos = model.positionIds(e.fullIds(), w, h);
        assertThat(pos).hasNumberOfRows(1);
        assertThat(pos[0]).containsExactly(Goldens.longs(c.get("positionIds")));
    }

    @Test
    void probabilitiesAtBatchOne() {
        double diff = 0;
        for (JsonNode c : cases()) {
            try (OnnxTokenScorer scorer = scorer(model, c, 1)) {
                for (JsonNode p : c.get("probabilities")) {
                    double[][] got = scorer.score(List.of(Idefics3Goldens.load(p.get("image").asText())));
                    diff = Math.max(diff, Goldens.maxAbsDiff(got[0], Goldens.doubles(p.get("probs"))));
                }
            }
        }
        System.out.printf(Locale.ROOT, "idefics3 batch 1: max |p - golden| = %.3g%n", diff);
        assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void probabilitiesAtBatchThree() {
        JsonNode c = cases().get(0);
        assertThat(c.get("batchSize").asInt()).isEqualTo(3);
        List<RgbImage> images = new ArrayList<>();
        List<double[]> want = new ArrayList<>();
        for (JsonNode p : c.get("probabilities")) {
            images.add(Idefics3Goldens.load(p.get("image").asText()));
            want.add(Goldens.doubles(p.get("probsBatched")));
        }
        double diff = 0;
        for (int batch : new int[] {3, 2}) {
            try (OnnxTokenScorer scorer = scorer(model, c, batch)) {
                double[][] got = scorer.score(images);
                assertThat(got).hasNumberOfRows(3);
                for (int i = 0; i < got.length; i++) {
                    diff = Math.max(diff, Goldens.maxAbsDiff(got[i], want.get(i)));
                }
            }
        }
        System.out.printf(Locale.ROOT, "idefics3 batch 3: max |p - golden| = %.3g%n", diff);
        assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    }

    /** Images of three sizes (three tile layouts) in one call: each size is encoded and batched on its own. */
    @Test
    void imagesOfDifferentSizesInOneCall() {
        JsonNode c = cases().get(0);
        String prompt = c.get("prompt").asText();
        String answer = c.get("answer").asText();
        List<RgbImage> images = List.of(Idefics3Goldens.load("scene"), Idefics3Goldens.load("small"),
                Idefics3Goldens.load("masked_half"), Idefics3Goldens.load("tall"));
        try (OnnxTokenScorer scorer = scorer(model, c, 8)) {
            double[][] mixed = scorer.score(images);
            for (int i = 0; i < images.size(); i++) {
                assertThat(mixed[i]).containsExactly(scorer.score(List.of(images.get(i)))[0], org.assertj.core.data.Offset.offset(1e-6));
            }
            assertThat(mixed[0]).containsExactly(Goldens.doubles(c.get("probabilities").get(0).get("probs")),
                    org.assertj.core.data.Offset.offset(TOLERANCE));
            assertThat(model.encode(prompt, answer, 40, 30).fullIds().length)
                    .isGreaterThan(model.encode(prompt, answer, 150, 100).fullIds().length);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void greedyGenerationGivesTheGoldenTokens(JsonNode c) {
        JsonNode g = c.get("greedy");
        long[] want = Goldens.longs(g.get("ids"));
        VisionLanguageModel.Generation gen = model.generate(Idefics3Goldens.load(g.get("image").asText()), c.get("prompt").asText(),
                want.length);
        assertThat(gen.tokens().stream().mapToLong(AnswerToken::id).toArray()).containsExactly(want);
        assertThat(gen.text()).isEqualTo(g.get("text").asText());
    }

    @Test
    void fp16DecoderMatchesTheGoldensAndGeneratesTheSameTokens() {
        try (OnnxModel m = OnnxModel.open(Idefics3Goldens.MODEL_DIR, OnnxSettings.defaults().withDtype("fp16").withParallel(1))) {
            assertThat(m.graphs().files().decoder()).isEqualTo("onnx/decoder_model_merged_fp16.onnx");
            double vsFp32 = 0;
            double vsOrt = 0;
            for (JsonNode c : cases()) {
                List<RgbImage> images = new ArrayList<>();
                for (JsonNode p : c.get("probabilities")) {
                    images.add(Idefics3Goldens.load(p.get("image").asText()));
                }
                try (OnnxTokenScorer scorer = scorer(m, c, 3)) {
                    double[][] got = scorer.score(images);
                    for (int i = 0; i < got.length; i++) {
                        vsFp32 = Math.max(vsFp32, Goldens.maxAbsDiff(got[i], Goldens.doubles(c.get("probabilities").get(i).get("probs"))));
                        vsOrt = Math.max(vsOrt, Goldens.maxAbsDiff(got[i], Goldens.doubles(c.get("fp16").get("probs").get(i).get("probs"))));
                    }
                }
                long[] want = Goldens.longs(c.get("greedy").get("ids"));
                assertThat(Goldens.longs(c.get("fp16").get("greedyIds"))).containsExactly(want);
                VisionLanguageModel.Generation gen = m.generate(Idefics3Goldens.load(c.get("image").asText()), c.get("prompt").asText(),
                        want.length);
                assertThat(gen.tokens().stream().mapToLong(AnswerToken::id).toArray()).containsExactly(want);
            }
            System.out.printf(Locale.ROOT, "idefics3 fp16: max |p16 - p32 golden| = %.3g, max |p16 - ORT fp16 golden| = %.3g%n", vsFp32, vsOrt);
            assertThat(vsFp32).isLessThanOrEqualTo(FP16_TOLERANCE);
            assertThat(vsOrt).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    /** SmolVLM2's model_type takes the same graphs and files. */
    @Test
    void smolvlmModelTypeOpensWithTheSameContract() throws IOException {
        Path dir = copyModel(tmp.resolve("smolvlm"));
        editJson(dir.resolve("config.json"), c -> c.put("model_type", "smolvlm"));
        editJson(dir.resolve("preprocessor_config.json"), c -> c.put("image_processor_type", "SmolVLMImageProcessor"));
        JsonNode c = cases().get(0);
        JsonNode p = c.get("probabilities").get(1);
        try (OnnxModel m = OnnxModel.open(dir, OnnxSettings.defaults().withParallel(1)); OnnxTokenScorer scorer = scorer(m, c, 1)) {
            assertThat(m.familyName()).isEqualTo("smolvlm");
            double[][] got = scorer.score(List.of(Idefics3Goldens.load(p.get("image").asText())));
            assertThat(Goldens.maxAbsDiff(got[0], Goldens.doubles(p.get("probs")))).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    /** Without preprocessor_config.json the processor settings nested in processor_config.json (transformers 5) are used. */
    @Test
    void nestedImageProcessorSettingsAreRead() throws IOException {
        Path dir = copyModel(tmp.resolve("nested"));
        Files.delete(dir.resolve("preprocessor_config.json"));
        try (OnnxModel m = OnnxModel.open(dir, OnnxSettings.defaults().withParallel(1))) {
            assertThat(m.imageTokenCount(150, 100)).isEqualTo(Idefics3Goldens.image("scene").get("imageTokens").asInt());
        }
        editJson(dir.resolve("processor_config.json"), c -> c.remove("image_processor"));
        assertThatThrownBy(() -> OnnxModel.open(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("preprocessor_config.json").hasMessageNotContaining("\n");
    }

    /** image_seq_len edited so it disagrees with config.json and the graph: one line at open, no native failure. */
    @Test
    void imageSeqLenThatDisagreesFailsAtOpen() throws IOException {
        Path dir = copyModel(tmp.resolve("seqlen"));
        editJson(dir.resolve("processor_config.json"), c -> c.put("image_seq_len", 5));
        assertThatThrownBy(() -> OnnxModel.open(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("processor_config.json").hasMessageContaining("image_seq_len 5")
                .hasMessageNotContaining("\n");
    }

    /** Files that agree with each other but not with the graph: the open-time probe of the vision encoder says so. */
    @Test
    void configsThatDisagreeWithTheGraphFailAtOpen() throws IOException {
        Path dir = copyModel(tmp.resolve("graph"));
        editJson(dir.resolve("processor_config.json"), c -> c.put("image_seq_len", 16));
        editJson(dir.resolve("config.json"), c -> c.put("scale_factor", 1));
        assertThatThrownBy(() -> OnnxModel.open(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("vision_encoder.onnx").hasMessageContaining("feature rows")
                .hasMessageNotContaining("\n");
    }

    @Test
    void tileSizeThatDisagreesWithTheVisionConfigFailsAtOpen() throws IOException {
        Path dir = copyModel(tmp.resolve("tile"));
        editJson(dir.resolve("preprocessor_config.json"), c -> ((ObjectNode) c.get("max_image_size")).put("longest_edge", 48));
        assertThatThrownBy(() -> OnnxModel.open(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("max_image_size.longest_edge 48").hasMessageContaining("vision_config.image_size 32");
    }

    /** A LLaVA vision encoder (pixel_values only, 4-D) in an Idefics3 folder. */
    @Test
    void aVisionEncoderOfAnotherFamilyIsNamed() throws IOException {
        Path dir = copyModel(tmp.resolve("llava-vision"));
        Files.copy(Goldens.main().modelDir.resolve("onnx/vision_encoder.onnx"), dir.resolve("onnx/vision_encoder.onnx"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> OnnxModel.open(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("vision_encoder.onnx").hasMessageContaining("pixel_attention_mask")
                .hasMessageNotContaining("\n");
    }

    @Test
    void absurdImagesAreOneLineErrors() {
        JsonNode c = cases().get(0);
        try (OnnxTokenScorer scorer = scorer(model, c, 1)) {
            assertThatThrownBy(() -> scorer.score(List.of(RgbImage.filled(2000, 3, 0))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("2000x3").hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> model.generate(RgbImage.filled(1, 500, 0), "Describe the image.", 2))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("1x500");
    }

    // ---------------------------------------------------------------- helpers

    private static OnnxTokenScorer scorer(OnnxModel m, JsonNode c, int batchSize) {
        String prompt = c.get("prompt").asText();
        String answer = c.get("answer").asText();
        return m.scorer(prompt, answer, TargetSelection.all(m.answerTokens(prompt, answer)), batchSize);
    }

    private static Path copyModel(Path to) throws IOException {
        Path from = Idefics3Goldens.MODEL_DIR;
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }

    private interface Edit {
        void apply(ObjectNode json);
    }

    private static void editJson(Path file, Edit edit) throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(file.toFile());
        edit.apply(n);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), n);
    }

    private static List<Long> boxed(long[] a) {
        List<Long> out = new ArrayList<>();
        for (long v : a) {
            out.add(v);
        }
        return out;
    }
}
