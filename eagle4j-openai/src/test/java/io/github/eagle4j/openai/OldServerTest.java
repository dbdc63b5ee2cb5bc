package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.onnx.OnnxModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Servers whose answers lack what positions are checked with: a vLLM older than 0.10.2 (no {@code prompt_token_ids})
 * and SGLang, which writes the id of the vocabulary's last token (and of image positions) as 0.
 */
class OldServerTest {
    /** Repetitive: a position shifted by one reads its predecessor's entry, which holds the same id. */
    static final String REPEATED = "a red red red circle .";
    static final String QUESTION = "Is there a red circle ?";

    private static double[][] onnx(String prompt, String answer, List<Integer> targets, RgbImage image) {
        OnnxModel m = TinyModel.get().model;
        try (TokenScorer s = m.scorer(prompt, answer, targets)) {
            return s.score(List.of(image));
        }
    }

    private static double[][] remote(ServerModel model, String prompt, String answer, List<Integer> targets, RgbImage image) {
        try (TokenScorer s = model.scorer(prompt, answer, targets)) {
            return s.score(List.of(image));
        }
    }

    @Test
    void vllmWithoutPromptTokenIdsGivesTheSameNumbersWhenItsListIsWhole() {
        RgbImage scene = TinyModel.scene();
        try (FakeVllm server = new FakeVllm(); ServerModel model = ServerModels.open(ServerSettings.of(ServerBackend.VLLM, server.url()),
                n -> null)) {
            server.mutate = r -> {
                r.remove("prompt_token_ids");
                return r;
            };
            List<Integer> all = TargetSelection.all(model.answerTokens(Runs.PROMPT, REPEATED));
            double[][] p = remote(model, Runs.PROMPT, REPEATED, all, scene);
            double[][] q = onnx(Runs.PROMPT, REPEATED, all, scene);
            for (int t = 0; t < all.size(); t++) {
                assertThat(p[0][t]).isCloseTo(q[0][t], within(1e-9));
            }
        }
    }

    @Test
    void vllmWithoutPromptTokenIdsWhosePromptLogprobsLacksItsLastEntryIsRefused() {
        RgbImage scene = TinyModel.scene();
        try (FakeVllm server = new FakeVllm(); ServerModel model = ServerModels.open(ServerSettings.of(ServerBackend.VLLM, server.url()),
                n -> null)) {
            server.mutate = r -> {
                r.remove("prompt_token_ids");
                ArrayNode lps = (ArrayNode) r.get("prompt_logprobs");
                lps.remove(lps.size() - 1);
                return r;
            };
            List<AnswerToken> tokens = model.answerTokens(Runs.PROMPT, REPEATED);
            // the second and third "red": one position early each reads the entry of the "red" before it
            List<Integer> second = List.of(2, 3);
            assertThat(tokens.get(1).text()).isEqualTo("red");
            assertThat(tokens.get(2).text()).isEqualTo("red");
            assertThat(tokens.get(3).text()).isEqualTo("red");
            assertThatThrownBy(() -> remote(model, Runs.PROMPT, REPEATED, second, scene)).isInstanceOf(ScoringException.class)
                    .hasMessageContaining("prompt_logprobs has").hasMessageContaining("prompt_tokens")
                    .hasMessageContaining("0.10.2");
        }
    }

    @Test
    void vllmWithoutPromptTokenIdsAndWithoutUsageIsRefused() {
        RgbImage scene = TinyModel.scene();
        try (FakeVllm server = new FakeVllm(); ServerModel model = ServerModels.open(ServerSettings.of(ServerBackend.VLLM, server.url()),
                n -> null)) {
            server.mutate = r -> {
                r.remove("prompt_token_ids");
                r.remove("usage");
                return r;
            };
            List<Integer> all = TargetSelection.all(model.answerTokens(Runs.PROMPT, REPEATED));
            assertThatThrownBy(() -> remote(model, Runs.PROMPT, REPEATED, all, scene)).isInstanceOf(ScoringException.class)
                    .hasMessageContaining("neither prompt_token_ids nor usage.prompt_tokens");
        }
    }

    @Test
    void sglangLabelsAndScoresTheVocabularysLastTokenLikeTheModelItself() {
        RgbImage scene = TinyModel.scene();
        String answer = "no .";
        long last = TinyModel.get().tokenizer.size() - 1;
        try (FakeSglang server = new FakeSglang(); ServerModel model = ServerModels.open(ServerSettings.of(ServerBackend.SGLANG,
                server.url()).withChatFormat(TinyModel.CHAT_FORMAT), n -> null)) {
            List<AnswerToken> tokens = model.answerTokens(QUESTION, answer);
            assertThat(tokens).isEqualTo(TinyModel.get().model.answerTokens(QUESTION, answer));
            assertThat(tokens.get(0).id()).isEqualTo(last);
            List<Integer> word = TargetSelection.word(tokens, "no");
            assertThat(word).containsExactly(0);
            double[][] p = remote(model, QUESTION, answer, TargetSelection.all(tokens), scene);
            double[][] q = onnx(QUESTION, answer, TargetSelection.all(tokens), scene);
            for (int t = 0; t < tokens.size(); t++) {
                assertThat(p[0][t]).isCloseTo(q[0][t], within(1e-9));
            }
        }
    }

    @Test
    void sglangWithoutTokenizeSaysWhyTheLastTokenCannotBeRead() {
        try (FakeSglang server = new FakeSglang(); ServerModel model = ServerModels.open(ServerSettings.of(ServerBackend.SGLANG,
                server.url()).withChatFormat(TinyModel.CHAT_FORMAT), n -> null)) {
            server.noTokenize = true;
            assertThatThrownBy(() -> model.answerTokens(QUESTION, "no .")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("wrote token id 0").hasMessageContaining("/tokenize").hasMessageContaining("HTTP 404");
            assertThat(model.answerTokens(QUESTION, "yes .")).isEqualTo(TinyModel.get().model.answerTokens(QUESTION, "yes ."));
        }
    }

    /** A prompt whose conversation, with the image's 64 tokens, is longer than the 256 positions the fakes serve. */
    static final String LONG_PROMPT = "Describe" + " the".repeat(200) + " image .";

    @Test
    void vllmsContextLengthErrorIsOneLineSayingWhatToDo() {
        try (FakeVllm server = new FakeVllm(); ServerModel model = ServerModels.open(ServerSettings.of(ServerBackend.VLLM, server.url()),
                n -> null)) {
            List<Integer> all = TargetSelection.all(model.answerTokens(LONG_PROMPT, "yes ."));
            assertThatThrownBy(() -> remote(model, LONG_PROMPT, "yes .", all, TinyModel.scene()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("maximum context length is 256 tokens")
                    .hasMessageContaining("longer than the served model's context").hasMessageNotContaining("\n");
        }
    }

    @Test
    void sglangsAbortedItemIsOneLineSayingWhy() {
        try (FakeSglang server = new FakeSglang(); ServerModel model = ServerModels.open(ServerSettings.of(ServerBackend.SGLANG,
                server.url()).withChatFormat(TinyModel.CHAT_FORMAT), n -> null)) {
            assertThatThrownBy(() -> model.answerTokens(LONG_PROMPT, "yes .")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("SGLang aborted the request").hasMessageContaining("exceeds the maximum allowed length (256")
                    .hasMessageContaining("longer than the served model's context").hasMessageNotContaining("\n");
        }
    }
}
