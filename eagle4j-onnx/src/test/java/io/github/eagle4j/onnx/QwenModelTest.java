package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.onnx.family.QwenRopeIndex;
import io.github.eagle4j.onnx.text.EncodedConversation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tiny Qwen2-VL (fixtures/qwen2vl.py) and Qwen2.5-VL (fixtures/qwen25vl.py, window attention in its vision
 * graph) through {@link OnnxModel} against their PyTorch goldens. The error cases run on the Qwen2-VL fixture only.
 */
class QwenModelTest {
    private static final double TOLERANCE = 1e-4;
    private static final Map<QwenGoldens, OnnxModel> MODELS = new HashMap<>();
    private static final QwenGoldens QWEN2 = QwenGoldens.QWEN2_VL;

    @TempDir
    Path tmp;

    static synchronized OnnxModel model(QwenGoldens g) {
        return MODELS.computeIfAbsent(g, k -> OnnxModel.open(k.model, OnnxSettings.defaults().withParallel(1)));
    }

    @AfterAll
    static synchronized void close() {
        MODELS.values().forEach(OnnxModel::close);
        MODELS.clear();
    }

    static List<QwenGoldens> fixtures() {
        return QwenGoldens.all();
    }

    private static List<JsonNode> cases(QwenGoldens g) {
        List<JsonNode> out = new ArrayList<>();
        g.json().get("cases").forEach(out::add);
        return out;
    }

    private static int width(QwenGoldens g, String image) {
        return g.image(image).get("width").asInt();
    }

    private static int height(QwenGoldens g, String image) {
        return g.image(image).get("height").asInt();
    }

    /** Golden answer ids up to and including the end of turn (eagle4j's answer; the template's final newline is not). */
    private static long[] answerIds(QwenGoldens g, JsonNode c) {
        long[] all = Goldens.longs(c.get("answerIds"));
        long imEnd = g.json().get("specialTokens").get("<|im_end|>").asLong();
        int n = 0;
        while (all[n] != imEnd) {
            n++;
        }
        return java.util.Arrays.copyOf(all, n + 1);
    }

    private static double[] goldenProbs(JsonNode probs, int n) {
        return java.util.Arrays.copyOf(Goldens.doubles(probs), n);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void familyAndSizes(QwenGoldens g) {
        OnnxModel model = model(g);
        assertThat(model.familyName()).isEqualTo(g.modelType);
        assertThat(OnnxModel.supportedModelTypes()).contains("qwen2_vl", "qwen2_5_vl", "llava");
        for (JsonNode c : cases(g)) {
            String im = c.get("image").asText();
            assertThat(model.imageTokenCount(width(g, im), height(g, im))).isEqualTo(c.get("imageTokenCount").asInt());
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void textIdsAndPositionsEqualTheGoldens(QwenGoldens g) {
        OnnxModel model = model(g);
        for (JsonNode c : cases(g)) {
            String im = c.get("image").asText();
            EncodedConversation e = model.encode(c.get("prompt").asText(), c.get("answer").asText(), width(g, im), height(g, im));
            assertThat(e.promptText()).isEqualTo(c.get("promptText").asText());
            assertThat(e.fullText()).isEqualTo(c.get("fullText").asText());
            assertThat(e.promptIds()).containsExactly(Goldens.longs(c.get("promptIds")));
            long[] answer = answerIds(g, c);
            long[] full = Goldens.longs(c.get("fullIds"));
            assertThat(e.fullIds()).containsExactly(java.util.Arrays.copyOf(full, c.get("answerStart").asInt() + answer.length));
            assertThat(e.answerStart()).isEqualTo(c.get("answerStart").asInt());
            assertThat(e.answerTokens().stream().map(AnswerToken::id).toList()).containsExactly(Goldens.box(answer));
            assertThat(e.answerTokens().get(0).text()).isEqualTo(c.get("answerTokens").get(0).asText());

            long[][] pos = model.positionIds(full, width(g, im), height(g, im));
            long[][] want = QwenGoldens.longRows(c.get("positionIds"));
            assertThat(pos).hasDimensions(3, full.length);
            for (int r = 0; r < 3; r++) {
                assertThat(pos[r]).as(im + " row " + r).containsExactly(want[r]);
            }
            assertThat(QwenRopeIndex.ropeDelta(pos)).isEqualTo(c.get("ropeDelta").asLong());
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void probabilitiesAtBatchOne(QwenGoldens g) {
        OnnxModel model = model(g);
        double diff = 0;
        int compared = 0;
        for (JsonNode c : cases(g)) {
            try (OnnxTokenScorer scorer = scorer(model, c, 1)) {
                int n = scorer.task().targets().size();
                for (JsonNode p : c.get("probabilities")) {
                    double[][] got = scorer.score(List.of(g.load(p.get("image").asText())));
                    diff = Math.max(diff, Goldens.maxAbsDiff(got[0], goldenProbs(p.get("probs"), n)));
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(6);
        assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void probabilitiesAtBatchThree(QwenGoldens g) {
        OnnxModel model = model(g);
        JsonNode c = cases(g).get(0);
        JsonNode batched = c.get("batched");
        List<RgbImage> images = new ArrayList<>();
        batched.get("images").forEach(n -> images.add(g.load(n.asText())));
        assertThat(images).hasSize(3);
        double diff = 0;
        try (OnnxTokenScorer scorer = scorer(model, c, 3)) {
            int n = scorer.task().targets().size();
            double[][] got = scorer.score(images);
            for (int i = 0; i < 3; i++) {
                diff = Math.max(diff, Goldens.maxAbsDiff(got[i], goldenProbs(batched.get("probs").get(i), n)));
            }
        }
        assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    }

    /** One score() call with images of three sizes: the scorer encodes the conversation per size and batches by size. */
    @ParameterizedTest
    @MethodSource("fixtures")
    void probabilitiesForImagesOfSeveralSizesInOneCall(QwenGoldens g) {
        OnnxModel model = model(g);
        JsonNode c = cases(g).get(0);
        List<RgbImage> images = new ArrayList<>();
        List<JsonNode> want = new ArrayList<>();
        for (JsonNode p : c.get("probabilities")) {
            images.add(g.load(p.get("image").asText()));
            want.add(p.get("probs"));
        }
        for (JsonNode o : c.get("otherSizes")) {
            images.add(g.load(o.get("image").asText()));
            want.add(o.get("probs"));
            long[] ids = Goldens.longs(o.get("fullIds"));
            String im = o.get("image").asText();
            long[][] pos = model.positionIds(ids, width(g, im), height(g, im));
            long[][] wantPos = QwenGoldens.longRows(o.get("positionIds"));
            for (int r = 0; r < 3; r++) {
                assertThat(pos[r]).containsExactly(wantPos[r]);
            }
        }
        // interleave sizes so that batching by size has to regroup them
        List<Integer> order = List.of(4, 0, 5, 1, 2, 3);
        double diff = 0;
        try (OnnxTokenScorer scorer = scorer(model, c, 4)) {
            int n = scorer.task().targets().size();
            double[][] got = scorer.score(order.stream().map(images::get).toList());
            for (int i = 0; i < order.size(); i++) {
                diff = Math.max(diff, Goldens.maxAbsDiff(got[i], goldenProbs(want.get(order.get(i)), n)));
            }
        }
        assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void greedyGenerationGivesTheGoldenAnswer(QwenGoldens g) {
        OnnxModel model = model(g);
        for (JsonNode c : cases(g)) {
            JsonNode greedy = c.get("greedy");
            long[] want = Goldens.longs(greedy.get("ids"));
            VisionLanguageModel.Generation gen = model.generate(g.load(greedy.get("image").asText()),
                    c.get("prompt").asText(), 8);
            assertThat(gen.tokens().stream().map(AnswerToken::id).toList()).as(c.get("image").asText()).containsExactly(Goldens.box(want));
            assertThat(gen.text()).isEqualTo(greedy.get("text").asText());
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aGenerationIsScoredAsGeneratedEachTokenTheArgmaxOfItsPosition(QwenGoldens g) {
        OnnxModel model = model(g);
        for (JsonNode c : cases(g)) {
            RgbImage image = g.load(c.get("image").asText());
            String prompt = c.get("prompt").asText();
            VisionLanguageModel.Generation gen = model.generate(image, prompt, 12);
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < gen.tokens().size(); i++) {
                all.add(i);
            }
            try (OnnxTokenScorer scorer = model.scorer(prompt, gen, all)) {
                assertThat(scorer.task().targets().stream().map(t -> t.id()).toList())
                        .containsExactlyElementsOf(gen.tokens().stream().map(AnswerToken::id).toList());
                double[] p = scorer.score(List.of(image))[0];
                // teacher forcing the generated ids: each was the greedy choice, so it has its position's largest
                // probability (up to float noise between the cached and the one-pass decoder)
                long[] promptIds = model.encode(prompt, "x", image.width(), image.height()).promptIds();
                long[] ids = new long[promptIds.length + gen.tokens().size()];
                System.arraycopy(promptIds, 0, ids, 0, promptIds.length);
                for (int i = 0; i < gen.tokens().size(); i++) {
                    ids[promptIds.length + i] = gen.tokens().get(i).id();
                }
                double[][] lp = model.logProbabilities(image, ids);
                for (int i = 0; i < p.length; i++) {
                    double[] row = lp[promptIds.length + i - 1];
                    double max = java.util.Arrays.stream(row).max().orElseThrow();
                    assertThat(Math.log(p[i])).as("token %d", i).isCloseTo(max, org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void fp16DecoderMatchesTheGoldens(QwenGoldens g) {
        OnnxModel model = model(g);
        double vsFp32 = 0;
        double vsOrtFp16 = 0;
        try (OnnxModel m = OnnxModel.open(g.model, OnnxSettings.defaults().withDtype("fp16").withParallel(1))) {
            assertThat(m.dtype()).isEqualTo("fp16");
            for (JsonNode c : cases(g)) {
                String im = c.get("image").asText();
                try (OnnxTokenScorer scorer = scorer(m, c, 2)) {
                    int n = scorer.task().targets().size();
                    double[][] got = scorer.score(List.of(g.load(im), g.load(im)));
                    vsFp32 = Math.max(vsFp32, Goldens.maxAbsDiff(got[0], goldenProbs(c.get("probabilities").get(0).get("probs"), n)));
                    vsOrtFp16 = Math.max(vsOrtFp16, Goldens.maxAbsDiff(got[0], goldenProbs(c.get("fp16Probs"), n)));
                    assertThat(got[1]).containsExactly(got[0]);
                }
                long[] want = Goldens.longs(c.get("greedy").get("ids"));
                VisionLanguageModel.Generation gen = m.generate(g.load(im), c.get("prompt").asText(), 8);
                assertThat(gen.tokens().stream().map(AnswerToken::id).toList()).containsExactly(Goldens.box(want));
            }
        }
        assertThat(vsFp32).isLessThanOrEqualTo(2e-2);
        assertThat(vsOrtFp16).isLessThanOrEqualTo(1e-4);
    }

    /**
     * onnx-community's Qwen2-VL-2B config is the flat transformers-4.46 form (as is Qwen2.5-VL's original
     * config.json); the same model must read the same.
     */
    @ParameterizedTest
    @MethodSource("fixtures")
    void flatTransformers4ConfigGivesTheSameResults(QwenGoldens g) throws IOException {
        Path dir = copy(g.model, tmp.resolve("flat"));
        ObjectMapper om = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) om.readTree(dir.resolve("config.json").toFile());
        ObjectNode text = (ObjectNode) cfg.remove("text_config");
        ObjectNode rope = (ObjectNode) text.remove("rope_parameters");
        text.remove("model_type");
        cfg.setAll(text);
        ObjectNode scaling = cfg.putObject("rope_scaling");
        scaling.put("type", "mrope");
        scaling.set("mrope_section", rope.get("mrope_section"));
        cfg.put("rope_theta", rope.get("rope_theta").asDouble());
        ObjectNode vision = (ObjectNode) cfg.get("vision_config");
        vision.put("spatial_patch_size", vision.remove("patch_size").asInt());
        vision.put("in_chans", vision.remove("in_channels").asInt());
        om.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), cfg);
        assertThat(cfg.has("text_config")).isFalse();

        JsonNode c = cases(g).get(0);
        try (OnnxModel m = OnnxModel.open(dir, OnnxSettings.defaults().withParallel(1));
             OnnxTokenScorer scorer = scorer(m, c, 1)) {
            assertThat(m.familyName()).isEqualTo(g.modelType);
            int n = scorer.task().targets().size();
            double[][] got = scorer.score(List.of(g.load("main")));
            assertThat(Goldens.maxAbsDiff(got[0], goldenProbs(c.get("probabilities").get(0).get("probs"), n))).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @Test
    void visionConfigThatContradictsThePreprocessorIsOneLine() throws IOException {
        Path dir = copy(QWEN2.model, tmp.resolve("merge"));
        ObjectMapper om = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) om.readTree(dir.resolve("config.json").toFile());
        ((ObjectNode) cfg.get("vision_config")).put("spatial_merge_size", 4);
        om.writeValue(dir.resolve("config.json").toFile(), cfg);
        assertThatThrownBy(() -> OnnxModel.open(dir).close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("config.json").hasMessageContaining("spatial_merge_size")
                .hasMessageContaining("preprocessor_config.json");
    }

    /** A config saying qwen2_vl beside LLaVA graphs fails when the model opens, with one line, not a native crash. */
    @Test
    void qwenConfigBesideLlavaGraphsIsOneLine() throws IOException {
        Path dir = copy(Goldens.main().modelDir, tmp.resolve("llava-as-qwen"));
        ObjectMapper om = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) om.readTree(dir.resolve("config.json").toFile());
        cfg.put("model_type", "qwen2_vl");
        om.writeValue(dir.resolve("config.json").toFile(), cfg);
        assertThatThrownBy(() -> OnnxModel.open(dir).close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("preprocessor_config.json").hasMessageContaining("CLIPImageProcessor")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        // with a Qwen image processor as well, the graphs themselves are refused
        Files.copy(QWEN2.model.resolve("preprocessor_config.json"), dir.resolve("preprocessor_config.json"),
                StandardCopyOption.REPLACE_EXISTING);
        ((ObjectNode) cfg.get("vision_config")).remove("patch_size");
        om.writeValue(dir.resolve("config.json").toFile(), cfg);
        assertThatThrownBy(() -> OnnxModel.open(dir).close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("vision_encoder.onnx").hasMessageContaining("pixel_values")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void imagesTheProcessorRefusesAreOneLine() {
        OnnxModel model = model(QWEN2);
        JsonNode c = cases(QWEN2).get(0);
        RgbImage thin = RgbImage.filled(402, 2, 0x808080);
        assertThatThrownBy(() -> model.generate(thin, "Describe the image.", 2))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("402x2").hasMessageContaining("200");
        try (OnnxTokenScorer scorer = scorer(model, c, 1)) {
            assertThatThrownBy(() -> scorer.score(List.of(thin)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("402x2");
        }
    }

    private static OnnxTokenScorer scorer(OnnxModel m, JsonNode c, int batchSize) {
        String prompt = c.get("prompt").asText();
        String answer = c.get("answer").asText();
        return m.scorer(prompt, answer, TargetSelection.all(m.answerTokens(prompt, answer)), batchSize);
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

}
