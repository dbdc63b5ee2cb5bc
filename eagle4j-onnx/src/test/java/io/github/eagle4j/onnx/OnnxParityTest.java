package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.onnx.text.EncodedConversation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Java vs the PyTorch goldens, for every committed model that has goldens. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxParityTest {
    private static final double TOLERANCE = 1e-4;
    private final Map<String, OnnxModel> models = new HashMap<>();

    static List<Goldens> models() {
        return Goldens.all();
    }

    private OnnxModel model(Goldens g, int parallel) {
        return models.computeIfAbsent(g.name + "/" + parallel,
                k -> OnnxModel.open(g.modelDir, OnnxSettings.defaults().withParallel(parallel)));
    }

    @AfterAll
    void close() {
        models.values().forEach(OnnxModel::close);
    }

    @ParameterizedTest
    @MethodSource("models")
    void chatTextAndTokenIdsEqualTheGoldens(Goldens g) {
        OnnxModel m = model(g, 1);
        for (JsonNode c : g.json.get("cases")) {
            EncodedConversation e = m.encode(c.get("prompt").asText(), c.get("answer").asText());
            assertThat(e.promptText()).isEqualTo(c.get("promptText").asText());
            assertThat(e.fullText()).isEqualTo(c.get("fullText").asText());
            assertThat(e.promptIds()).containsExactly(Goldens.longs(c.get("promptIds")));
            assertThat(e.fullIds()).containsExactly(Goldens.longs(c.get("fullIds")));
            assertThat(e.answerStart()).isEqualTo(c.get("answerStart").asInt());
            List<String> texts = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            for (AnswerToken t : e.answerTokens()) {
                texts.add(t.text());
                ids.add(t.id());
            }
            List<String> wantTexts = new ArrayList<>();
            c.get("answerTokens").forEach(n -> wantTexts.add(n.asText()));
            assertThat(texts).isEqualTo(wantTexts);
            assertThat(ids).containsExactly(Goldens.box(Goldens.longs(c.get("answerIds"))));
            assertThat(m.imageTokenCount(160, 120)).isEqualTo(c.get("imageTokenCount").asInt());
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void probabilitiesAtBatchOne(Goldens g) {
        OnnxModel m = model(g, 1);
        double diff = 0;
        for (JsonNode c : g.json.get("cases")) {
            try (var scorer = scorer(m, c, 1)) {
                for (JsonNode p : c.get("probabilities")) {
                    double[][] got = scorer.score(List.of(g.load(p.get("name").asText())));
                    diff = Math.max(diff, Goldens.maxAbsDiff(got[0], Goldens.doubles(p.get("probs"))));
                }
            }
        }
        assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("models")
    void probabilitiesInOneBatch(Goldens g) {
        assertBatched(g, model(g, 1), 64);
    }

    @ParameterizedTest
    @MethodSource("models")
    void probabilitiesSplitOverParallelRuns(Goldens g) {
        assertBatched(g, model(g, 2), 2);
    }

    private void assertBatched(Goldens g, OnnxModel m, int batchSize) {
        double diff = 0;
        for (JsonNode c : g.json.get("cases")) {
            List<RgbImage> images = new ArrayList<>();
            List<double[]> want = new ArrayList<>();
            for (JsonNode p : c.get("probabilities")) {
                images.add(g.load(p.get("name").asText()));
                want.add(Goldens.doubles(p.get("probsBatched")));
            }
            try (var scorer = scorer(m, c, batchSize)) {
                double[][] got = scorer.score(images);
                assertThat(got.length).isEqualTo(images.size());
                for (int i = 0; i < got.length; i++) {
                    diff = Math.max(diff, Goldens.maxAbsDiff(got[i], want.get(i)));
                }
            }
        }
        assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("models")
    void greedyGenerationGivesTheGoldenAnswer(Goldens g) {
        VisionLanguageModel m = model(g, 1);
        for (JsonNode c : g.json.get("cases")) {
            JsonNode greedy = c.get("greedy");
            long[] want = Goldens.longs(greedy.get("ids"));
            int max = want.length;
            if (!greedy.get("endsWithEos").asBoolean()) {
                max = want.length;
            }
            VisionLanguageModel.Generation gen = m.generate(g.load(greedy.get("image").asText()), c.get("prompt").asText(), max);
            assertThat(gen.tokens().stream().map(AnswerToken::id).toList()).containsExactly(Goldens.box(want));
            assertThat(gen.text()).isEqualTo(greedy.get("text").asText());
        }
    }

    private static OnnxTokenScorer scorer(OnnxModel m, JsonNode c, int batchSize) {
        String prompt = c.get("prompt").asText();
        String answer = c.get("answer").asText();
        return m.scorer(prompt, answer, TargetSelection.all(m.answerTokens(prompt, answer)), batchSize);
    }
}
