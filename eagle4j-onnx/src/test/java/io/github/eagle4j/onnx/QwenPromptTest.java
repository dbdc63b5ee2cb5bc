package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.onnx.family.QwenRopeIndex;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.image.QwenImageProcessor;
import io.github.eagle4j.onnx.text.ChatTemplate;
import io.github.eagle4j.onnx.text.HfTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Template, image-token expansion, tokenisation and M-RoPE positions of the tiny Qwen2-VL and Qwen2.5-VL against
 * their PyTorch goldens.
 */
class QwenPromptTest {
    private static final Map<QwenGoldens, HfTokenizer> TOKENIZERS = new HashMap<>();

    static synchronized HfTokenizer tokenizer(QwenGoldens g) {
        return TOKENIZERS.computeIfAbsent(g, k -> HfTokenizer.load(k.model.resolve("tokenizer.json")));
    }

    @AfterAll
    static synchronized void close() {
        TOKENIZERS.values().forEach(HfTokenizer::close);
        TOKENIZERS.clear();
    }

    static List<QwenGoldens> fixtures() {
        return QwenGoldens.all();
    }

    static Stream<Arguments> fixtureCases() {
        return QwenGoldens.all().stream().flatMap(g -> Stream.of("main", "small", "large").map(n -> Arguments.of(g, n)));
    }

    static JsonNode caseFor(QwenGoldens g, String image) {
        for (JsonNode c : g.json().get("cases")) {
            if (c.get("image").asText().equals(image)) {
                return c;
            }
        }
        throw new IllegalArgumentException(image);
    }

    @ParameterizedTest
    @MethodSource("fixtureCases")
    void templateRendersLikeTransformers(QwenGoldens g, String image) {
        JsonNode c = caseFor(g, image);
        ChatTemplate t = ChatTemplate.read(ModelDirectory.plain(g.model));
        Map<String, Object> user = Map.of("role", "user", "content",
                List.of(Map.of("type", "image"), Map.of("type", "text", "text", c.get("prompt").asText())));
        Map<String, Object> assistant = Map.of("role", "assistant", "content",
                List.of(Map.of("type", "text", "text", c.get("answer").asText())));
        assertThat(t.render(List.of(user), true)).isEqualTo(c.get("promptText").asText());
        assertThat(t.render(List.of(user, assistant), false)).isEqualTo(c.get("fullText").asText());
    }

    @ParameterizedTest
    @MethodSource("fixtureCases")
    void expansionTokenisationAndPositionsEqualTheGoldens(QwenGoldens g, String image) {
        JsonNode c = caseFor(g, image);
        JsonNode meta = g.image(image);
        QwenImageProcessor p = g.processor();
        HfTokenizer tokenizer = tokenizer(g);
        int tokens = p.imageTokens(meta.get("width").asInt(), meta.get("height").asInt());
        assertThat(tokens).isEqualTo(c.get("imageTokenCount").asInt());
        String full = c.get("fullText").asText();
        String expanded = full.replace("<|image_pad|>", "<|image_pad|>".repeat(tokens));
        assertThat(expanded).isEqualTo(c.get("expandedFullText").asText());

        long[] ids = tokenizer.encode(expanded).ids();
        assertThat(ids).containsExactly(Goldens.longs(c.get("fullIds")));
        String prompt = c.get("promptText").asText().replace("<|image_pad|>", "<|image_pad|>".repeat(tokens));
        assertThat(tokenizer.encode(prompt).ids()).containsExactly(Goldens.longs(c.get("promptIds")));

        long imageToken = g.json().get("imageTokenId").asLong();
        int[] grid = p.grid(meta.get("width").asInt(), meta.get("height").asInt());
        long[][] pos = QwenRopeIndex.positionIds(ids, imageToken, grid, p.mergeSize());
        long[][] want = QwenGoldens.longRows(c.get("positionIds"));
        for (int r = 0; r < 3; r++) {
            assertThat(pos[r]).as("row " + r).containsExactly(want[r]);
        }
        assertThat(QwenRopeIndex.ropeDelta(pos)).isEqualTo(c.get("ropeDelta").asLong());
        long[][] promptPos = QwenRopeIndex.positionIds(Goldens.longs(c.get("promptIds")), imageToken, grid, p.mergeSize());
        long[][] wantPrompt = QwenGoldens.longRows(c.get("promptPositionIds"));
        for (int r = 0; r < 3; r++) {
            assertThat(promptPos[r]).containsExactly(wantPrompt[r]);
        }
        assertThat(QwenRopeIndex.ropeDelta(promptPos)).isEqualTo(c.get("promptRopeDelta").asLong());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void specialTokensHaveTheConfigsIds(QwenGoldens g) {
        HfTokenizer tokenizer = tokenizer(g);
        JsonNode special = g.json().get("specialTokens");
        special.fields().forEachRemaining(e -> assertThat(tokenizer.id(e.getKey())).hasValue(e.getValue().asLong()));
        assertThat(tokenizer.size()).isEqualTo(g.json().get("tokenizerSize").asInt());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void greedyTextDecodesLikeTransformers(QwenGoldens g) {
        HfTokenizer tokenizer = tokenizer(g);
        for (JsonNode c : g.json().get("cases")) {
            long[] ids = Goldens.longs(c.get("greedy").get("ids"));
            assertThat(tokenizer.decode(ids, true)).isEqualTo(c.get("greedy").get("text").asText());
            assertThat(tokenizer.decode(ids, false)).isEqualTo(c.get("greedy").get("textWithSpecial").asText());
        }
    }

    @Test
    void imageRunsMustMatchTheGrid() {
        long img = 9;
        long[] ids = {1, 2, 9, 9, 9, 9, 9, 9, 3, 4};
        long[][] pos = QwenRopeIndex.positionIds(ids, img, new int[] {1, 4, 6}, 2); // 2 x 3 merged blocks
        assertThat(pos[0]).containsExactly(0, 1, 2, 2, 2, 2, 2, 2, 5, 6);
        assertThat(pos[1]).containsExactly(0, 1, 2, 2, 2, 3, 3, 3, 5, 6);
        assertThat(pos[2]).containsExactly(0, 1, 2, 3, 4, 2, 3, 4, 5, 6);
        assertThat(QwenRopeIndex.ropeDelta(pos)).isEqualTo(-3);
        assertThatThrownBy(() -> QwenRopeIndex.positionIds(new long[] {1, 9, 9, 2}, img, new int[] {1, 4, 6}, 2))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("run of 2 image tokens");
    }
}
