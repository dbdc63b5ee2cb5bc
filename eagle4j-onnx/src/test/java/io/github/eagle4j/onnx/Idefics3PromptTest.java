package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.onnx.family.Idefics3Family;
import io.github.eagle4j.onnx.family.ModelFamily;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.text.ChatTemplate;
import io.github.eagle4j.onnx.text.HfTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idefics3 prompts against transformers' Idefics3Processor: the chat template (Jinjava), the placeholder expansion,
 * the byte-level BPE tokenizer (DJL) and the position ids of the goldens.
 */
class Idefics3PromptTest {
    private static HfTokenizer tokenizer;
    private static ChatTemplate template;

    @BeforeAll
    static void load() {
        ModelDirectory dir = ModelDirectory.open(Idefics3Goldens.MODEL_DIR);
        tokenizer = HfTokenizer.load(dir.require(ModelDirectory.TOKENIZER));
        template = ChatTemplate.read(dir);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    static List<JsonNode> cases() {
        return Idefics3Goldens.cases();
    }

    static List<String> images() {
        return Idefics3Goldens.imageNames();
    }

    @ParameterizedTest
    @MethodSource("images")
    void expansionEqualsTheProcessors(String name) {
        JsonNode e = Idefics3Goldens.image(name);
        int seqLen = Idefics3Goldens.json().get("imageSeqLen").asInt();
        assertThat(Idefics3Family.expansion("<image>", e.get("rows").asInt(), e.get("cols").asInt(), seqLen))
                .isEqualTo(e.get("expansion").asText());
    }

    @Test
    void unsplitExpansionIsTheGlobalImageAlone() {
        JsonNode ns = Idefics3Goldens.json().get("noSplit");
        assertThat(Idefics3Family.expansion("<image>", 0, 0, 4)).isEqualTo(ns.get("expansion").asText());
        String text = ns.get("promptText").asText();
        String expanded = text.replace("<image>", Idefics3Family.expansion("<image>", 0, 0, 4));
        assertThat(tokenizer.encode(expanded).ids()).containsExactly(Goldens.longs(ns.get("promptIds")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void templateExpansionAndTokenizerGiveTheGoldenIds(JsonNode c) {
        Map<String, Object> user = Map.of("role", "user", "content",
                List.of(Map.of("type", "image"), Map.of("type", "text", "text", c.get("prompt").asText())));
        Map<String, Object> assistant = Map.of("role", "assistant", "content",
                List.of(Map.of("type", "text", "text", c.get("answer").asText())));
        String prompt = template.render(List.of(user), true);
        String full = template.render(List.of(user, assistant), false);
        assertThat(prompt).isEqualTo(c.get("promptText").asText());
        assertThat(full).isEqualTo(c.get("fullText").asText());

        JsonNode img = Idefics3Goldens.image(c.get("image").asText());
        int seqLen = Idefics3Goldens.json().get("imageSeqLen").asInt();
        String expansion = Idefics3Family.expansion("<image>", img.get("rows").asInt(), img.get("cols").asInt(), seqLen);
        assertThat(prompt.replace("<image>", expansion)).isEqualTo(c.get("expandedPromptText").asText());
        assertThat(tokenizer.encode(prompt.replace("<image>", expansion)).ids()).containsExactly(Goldens.longs(c.get("promptIds")));
        long[] fullIds = tokenizer.encode(full.replace("<image>", expansion)).ids();
        assertThat(fullIds).containsExactly(Goldens.longs(c.get("fullIds")));

        long imageToken = Idefics3Goldens.json().get("imageTokenId").asLong();
        long count = java.util.Arrays.stream(fullIds).filter(id -> id == imageToken).count();
        assertThat(count).isEqualTo((long) img.get("tiles").asInt() * seqLen).isEqualTo(c.get("imageTokenCount").asLong());

        int n = c.get("scoredIds").size();
        assertThat(ModelFamily.sequentialPositions(n)[0]).containsExactly(Goldens.longs(c.get("positionIds")));
    }
}
