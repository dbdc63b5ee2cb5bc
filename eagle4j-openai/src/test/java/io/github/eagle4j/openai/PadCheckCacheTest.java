package io.github.eagle4j.openai;

import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.text.PromptToken;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pad-by-text check of a prompt (docs/text.md, "Servers") costs /tokenize calls, up to four per word; a server model
 * makes it once per prompt, so a second scorer of the same prompt (another target, another evaluation item) asks
 * nothing, and a new prompt is checked on its own.
 */
class PadCheckCacheTest {
    @Test
    void aSecondScorerOfThePromptReusesTheCheck() {
        RgbImage scene = TinyModel.scene();
        try (FakeVllm server = new FakeVllm();
             ServerModel vllm = (ServerModel) new ServerModelProvider().open(server.url(), Map.of("backend", "vllm"))) {
            String prompt = "Is there a red circle?";
            List<PromptToken> first;
            try (TokenScorer a = vllm.scorer(prompt, "yes", List.of(0))) {
                int before = server.tokenizeCalls.get();
                first = a.promptTokens(scene.width(), scene.height());
                assertThat(server.tokenizeCalls.get() - before).as("the first check").isGreaterThanOrEqualTo(first.size() + 1);
            }
            try (TokenScorer b = vllm.scorer(prompt, "no", List.of(0))) {
                int before = server.tokenizeCalls.get();
                assertThat(b.promptTokens(scene.width(), scene.height())).isEqualTo(first);
                assertThat(server.tokenizeCalls.get() - before).as("the same prompt again").isZero();
            }
            try (TokenScorer c = vllm.scorer("Is there a blue square?", "no", List.of(0))) {
                int before = server.tokenizeCalls.get();
                c.promptTokens(scene.width(), scene.height());
                assertThat(server.tokenizeCalls.get() - before).as("another prompt").isPositive();
            }
            assertThat(vllm.padChecks.size()).isEqualTo(2);
        }
    }
}
