package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.onnx.OnnxModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The wire formats: requests byte for byte as docs/backends.md ("Wire formats") shows them, and the edge
 * cases of reading answers (entry 0 null, ids as string keys, -9999 clamps, a missing answer token, nulls and
 * {@code -Infinity} from SGLang).
 */
class ProtocolTest {
    static final String ANSWER = "a red circle .";
    static final Pattern DATA_URL = Pattern.compile("data:image/png;base64,[A-Za-z0-9+/=]+");

    static JsonNode json(String s) {
        try {
            return Json.parse(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The body with its image data URLs replaced by {@code <IMAGE>}, and the images they held. */
    record Body(String text, List<RgbImage> images) {
    }

    static Body body(LoopbackServer.Received r) throws Exception {
        Matcher m = DATA_URL.matcher(r.text());
        List<RgbImage> images = new java.util.ArrayList<>();
        while (m.find()) {
            images.add(FakeVllm.decode(m.group()));
        }
        return new Body(DATA_URL.matcher(r.text()).replaceAll("<IMAGE>"), images);
    }

    // ---------------------------------------------------------------- requests, byte for byte

    @Test
    void vllmRequestsAreByteForByteTheDocumentedShapes() throws Exception {
        RgbImage scene = TinyModel.scene();
        try (FakeVllm server = new FakeVllm(); ServerModel model = ServerModels.open(ServerSettings.of(ServerBackend.VLLM, server.url()),
                n -> null)) {
            model.generate(scene, Runs.PROMPT, 24);
            List<Integer> all = TargetSelection.all(model.answerTokens(Runs.PROMPT, ANSWER));
            try (TokenScorer s = model.scorer(Runs.PROMPT, ANSWER, all)) {
                s.score(List.of(scene));
            }
            try (TokenScorer s = model.scorer(Runs.PROMPT, ANSWER, List.of(1))) {
                s.score(List.of(scene));
            }
            List<LoopbackServer.Received> chats = server.server.received(VllmModel.CHAT);
            String user = "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"<IMAGE>\"}},"
                    + "{\"type\":\"text\",\"text\":\"Describe the image.\"}]}";
            String assistant = "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"a red circle .\"}]}";
            assertThat(body(chats.get(0)).text()).isEqualTo("{\"model\":\"tiny-shapes-llava\",\"messages\":[" + user
                    + "],\"max_tokens\":24,\"temperature\":0}");
            // every answer token including the end of turn: the turn is closed so that token is in the prompt
            assertThat(body(chats.get(1)).text()).isEqualTo("{\"model\":\"tiny-shapes-llava\",\"messages\":[" + user + "," + assistant
                    + "],\"add_generation_prompt\":false,\"continue_final_message\":false,\"prompt_logprobs\":1,\"max_tokens\":1,"
                    + "\"temperature\":0,\"return_token_ids\":true}");
            // a word target: the teacher-forcing request of docs/backends.md, the answer as the open final assistant message
            assertThat(body(chats.get(3)).text()).isEqualTo("{\"model\":\"tiny-shapes-llava\",\"messages\":[" + user + "," + assistant
                    + "],\"add_generation_prompt\":false,\"continue_final_message\":true,\"prompt_logprobs\":1,\"max_tokens\":1,"
                    + "\"temperature\":0,\"return_token_ids\":true}");
            assertThat(body(chats.get(1)).images()).containsExactly(scene);

            List<String> tokenize = server.server.received(VllmModel.TOKENIZE).stream().map(LoopbackServer.Received::text).toList();
            String textUser = "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Describe the image.\"}]}";
            assertThat(tokenize).contains(
                    "{\"model\":\"tiny-shapes-llava\",\"messages\":[" + textUser + "],\"add_generation_prompt\":true,"
                            + "\"continue_final_message\":false,\"return_token_strs\":true}",
                    "{\"model\":\"tiny-shapes-llava\",\"messages\":[" + textUser + "," + assistant + "],\"add_generation_prompt\":false,"
                            + "\"continue_final_message\":true,\"return_token_strs\":true}",
                    "{\"model\":\"tiny-shapes-llava\",\"messages\":[" + textUser + "," + assistant + "],\"add_generation_prompt\":false,"
                            + "\"continue_final_message\":false,\"return_token_strs\":true}");
            assertThat(chats.get(1).headers().get("Content-type")).containsExactly("application/json");
            assertThat(chats.get(1).headers()).doesNotContainKey("Authorization");
        }
    }

    @Test
    void sglangRequestsAreByteForByteTheDocumentedShapes() throws Exception {
        RgbImage scene = TinyModel.scene();
        RgbImage black = RgbImage.filled(scene.width(), scene.height(), 0);
        try (FakeSglang server = new FakeSglang(); ServerModel model = ServerModels.open(ServerSettings.of(ServerBackend.SGLANG,
                server.url()).withChatFormat(TinyModel.CHAT_FORMAT).withBatchSize(1), n -> null)) {
            List<Integer> all = TargetSelection.all(model.answerTokens(Runs.PROMPT, ANSWER));
            double[][] p;
            try (TokenScorer s = model.scorer(Runs.PROMPT, ANSWER, all)) {
                p = s.score(List.of(scene, black));
            }
            List<LoopbackServer.Received> gen = server.server.received(SglangProtocol.GENERATE);
            String closed = "<s>USER: <image>\\nDescribe the image. ASSISTANT: a red circle . </s>";
            assertThat(body(gen.get(0)).text()).isEqualTo("{\"text\":[\"<s>USER: <image>\\nDescribe the image. ASSISTANT:\","
                    + "\"<s>USER: <image>\\nDescribe the image. ASSISTANT: a red circle .\",\"" + closed + "\"],"
                    + "\"image_data\":[\"<IMAGE>\",\"<IMAGE>\",\"<IMAGE>\"],\"sampling_params\":{\"max_new_tokens\":0,\"temperature\":0},"
                    + "\"return_logprob\":true,\"logprob_start_len\":0,\"return_text_in_logprobs\":true}");
            // first image: the whole prompt's logprobs, to learn its length; then from one token before the answer
            assertThat(body(gen.get(1)).text()).isEqualTo("{\"text\":[\"" + closed + "\"],\"image_data\":[\"<IMAGE>\"],"
                    + "\"sampling_params\":{\"max_new_tokens\":0,\"temperature\":0},\"return_logprob\":true,\"logprob_start_len\":0}");
            int promptLength = TinyModel.get().model.encode(Runs.PROMPT, ANSWER).fullIds().length;
            assertThat(body(gen.get(2)).text()).isEqualTo("{\"text\":[\"" + closed + "\"],\"image_data\":[\"<IMAGE>\"],"
                    + "\"sampling_params\":{\"max_new_tokens\":0,\"temperature\":0},\"return_logprob\":true,\"logprob_start_len\":"
                    + (promptLength - all.size() - 1) + "}");
            assertThat(body(gen.get(2)).images()).containsExactly(black);
            OnnxModel onnx = TinyModel.get().model;
            try (TokenScorer s = onnx.scorer(Runs.PROMPT, ANSWER, all)) {
                double[][] q = s.score(List.of(scene, black));
                for (int i = 0; i < 2; i++) {
                    for (int t = 0; t < all.size(); t++) {
                        assertThat(p[i][t]).isCloseTo(q[i][t], within(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void hostedApiStepRequestIsTheDocumentedShape() throws Exception {
        RgbImage scene = TinyModel.scene();
        try (FakeOpenAi server = new FakeOpenAi("k"); HostedApiModel model = (HostedApiModel) ServerModels.open(
                ServerSettings.of(ServerBackend.OPENAI, server.url()).withServedModel("gpt-test").withApiKeyEnv("K"), n -> "k")) {
            try (TokenScorer s = model.scorer(Runs.PROMPT, ANSWER, List.of(0, 2))) {
                s.score(List.of(scene));
            }
            List<String> bodies = new java.util.ArrayList<>();
            for (LoopbackServer.Received r : server.server.received(HostedApiProtocol.CHAT)) {
                bodies.add(body(r).text());
            }
            String start = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"system\",\"content\":\"" + HostedApiProtocol.SYSTEM + "\"},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"<IMAGE>\"}},"
                    + "{\"type\":\"text\",\"text\":\"Describe the image.\"}]}";
            String end = "],\"max_tokens\":1,\"temperature\":0,\"logprobs\":true,\"top_logprobs\":20}";
            assertThat(bodies).containsExactlyInAnyOrder(start + end,
                    start + ",{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"a red\"}]}" + end);
            assertThat(server.server.received.get(0).headers().get("Authorization")).containsExactly("Bearer k");
        }
    }

    // ---------------------------------------------------------------- vLLM answers

    static final String LOGPROBS = "{\"prompt_token_ids\":[1,5,6,7],\"prompt_logprobs\":[null,"
            + "{\"5\":{\"logprob\":-3.5,\"rank\":4,\"decoded_token\":\"USER\"},\"2\":{\"logprob\":-0.1,\"rank\":1,\"decoded_token\":\"</s>\"}},"
            + "{\"6\":{\"logprob\":-0.5,\"rank\":1,\"decoded_token\":\"a\"}},"
            + "{\"7\":{\"logprob\":-9999.0,\"rank\":28,\"decoded_token\":\"b\"},\"3\":{\"logprob\":-0.01,\"rank\":1,\"decoded_token\":\"c\"}}]}";

    @Test
    void vllmEntryZeroNullStringKeysAndTheClamp() {
        double[] p = VllmProtocol.targetProbabilities(json(LOGPROBS), new long[] {6, 7}, new int[] {0, 1}, new long[] {6, 7}, "test");
        assertThat(p[0]).isEqualTo(Math.exp(-0.5));
        assertThat(p[1]).isZero();
        // the whole prompt is the answer but for token 0, whose entry is the null one
        double[] q = VllmProtocol.targetProbabilities(json(LOGPROBS), new long[] {5, 6, 7}, new int[] {0}, new long[] {5}, "test");
        assertThat(q[0]).isEqualTo(Math.exp(-3.5));
        assertThatThrownBy(() -> VllmProtocol.targetProbabilities(json(LOGPROBS), new long[] {1, 5, 6, 7}, new int[] {0},
                new long[] {1}, "test")).isInstanceOf(ScoringException.class).hasMessageContaining("fewer than");
    }

    @Test
    void vllmWithoutPromptTokenIdsCountsFromTheEnd() {
        ObjectNode r = (ObjectNode) json(LOGPROBS);
        r.remove("prompt_token_ids");
        r.putObject("usage").put("prompt_tokens", 4);
        double[] p = VllmProtocol.targetProbabilities(r, new long[] {6, 7}, new int[] {0}, new long[] {6}, "test");
        assertThat(p[0]).isEqualTo(Math.exp(-0.5));
    }

    @Test
    void vllmEntryWithoutTheAnswerTokenButWithItsRankIsAnError() {
        String lacking = LOGPROBS.replace("{\"7\":{\"logprob\":-9999.0,\"rank\":28,\"decoded_token\":\"b\"},", "{");
        assertThatThrownBy(() -> VllmProtocol.targetProbabilities(json(lacking), new long[] {6, 7}, new int[] {1}, new long[] {7}, "e"))
                .isInstanceOf(ScoringException.class).hasMessageContaining("lacks answer token id 7")
                .hasMessageContaining("3 rank 1").hasMessageContaining("no number is guessed");
    }

    @Test
    void vllmPositionsAreCheckedAgainstTokenize() {
        assertThatThrownBy(() -> VllmProtocol.targetProbabilities(json(LOGPROBS), new long[] {6, 8}, new int[] {0}, new long[] {6}, "e"))
                .isInstanceOf(ScoringException.class).hasMessageContaining("cannot be trusted");
        String nullEntry = LOGPROBS.replace("{\"6\":{\"logprob\":-0.5,\"rank\":1,\"decoded_token\":\"a\"}}", "null");
        assertThatThrownBy(() -> VllmProtocol.targetProbabilities(json(nullEntry), new long[] {6, 7}, new int[] {0}, new long[] {6}, "e"))
                .isInstanceOf(ScoringException.class).hasMessageContaining("is null");
        String positive = LOGPROBS.replace("-0.5", "0.25");
        assertThatThrownBy(() -> VllmProtocol.targetProbabilities(json(positive), new long[] {6, 7}, new int[] {0}, new long[] {6}, "e"))
                .isInstanceOf(ScoringException.class).hasMessageContaining("above 0");
        String nan = LOGPROBS.replace("-0.5", "NaN");
        assertThatThrownBy(() -> VllmProtocol.targetProbabilities(json(nan), new long[] {6, 7}, new int[] {0}, new long[] {6}, "e"))
                .isInstanceOf(ScoringException.class).hasMessageContaining("NaN");
    }

    @Test
    void vllmClampThroughTheServerReadsAsZero() {
        RgbImage scene = TinyModel.scene();
        try (FakeVllm server = new FakeVllm(); ServerModel model = ServerModels.open(ServerSettings.of(ServerBackend.VLLM, server.url()),
                n -> null)) {
            List<Integer> all = TargetSelection.all(model.answerTokens(Runs.PROMPT, ANSWER));
            long eos = TinyModel.get().eosId;
            server.mutate = r -> {
                JsonNode lps = r.get("prompt_logprobs");
                ((ObjectNode) lps.get(lps.size() - 1).get(Long.toString(eos))).put("logprob", -9999.0);
                return r;
            };
            double[][] p;
            try (TokenScorer s = model.scorer(Runs.PROMPT, ANSWER, all)) {
                p = s.score(List.of(scene));
            }
            assertThat(p[0][all.size() - 1]).isZero();
            assertThat(p[0][0]).isPositive();
        }
    }

    // ---------------------------------------------------------------- SGLang answers

    @Test
    void sglangNullsAndInfinitiesReadAsZeroAndPaddingIsNeverAnAnswer() {
        String item = "{\"meta_info\":{\"prompt_tokens\":5,\"input_token_logprobs\":[[null,1000123,null],[-0.25,6,\"a\"],"
                + "[null,7,\"b\"],[-Infinity,2,\"</s>\"]]}}";
        double[] p = SglangProtocol.targetProbabilities(json(item), 1, new long[] {6, 7, 2}, new int[] {0, 1, 2}, "t");
        assertThat(p).containsExactly(Math.exp(-0.25), 0.0, 0.0);
        assertThatThrownBy(() -> SglangProtocol.targetProbabilities(json(item), 1, new long[] {1000123, 6, 7, 2}, new int[] {0}, "t"))
                .isInstanceOf(ScoringException.class).hasMessageContaining("fewer than");
        assertThatThrownBy(() -> SglangProtocol.targetProbabilities(json(item), 0, new long[] {6, 7, 2}, new int[] {0}, "t"))
                .isInstanceOf(ScoringException.class).hasMessageContaining("prompt_tokens 5");
        assertThatThrownBy(() -> SglangProtocol.targetProbabilities(json(item), 1, new long[] {6, 8, 2}, new int[] {0}, "t"))
                .isInstanceOf(ScoringException.class).hasMessageContaining("cannot be trusted");
        assertThatThrownBy(() -> SglangProtocol.items(json("[" + item + "]"), 2, "t")).isInstanceOf(ScoringException.class)
                .hasMessageContaining("expected 2 results");
    }

    @Test
    void retryAfterReadsSecondsAndDates() {
        assertThat(EndpointPool.parseRetryAfter("2")).contains(java.time.Duration.ofSeconds(2));
        assertThat(EndpointPool.parseRetryAfter("0.5")).contains(java.time.Duration.ofMillis(500));
        assertThat(EndpointPool.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(java.time.Duration.ZERO);
        assertThat(EndpointPool.parseRetryAfter("soon")).isEmpty();
    }

    @Test
    void answersFromTokenizeMatchTheModelsOwnTokenisation() {
        try (FakeVllm server = new FakeVllm(); ServerModel model = ServerModels.open(ServerSettings.of(ServerBackend.VLLM, server.url()),
                n -> null)) {
            for (String answer : List.of(ANSWER, "yes", "a blue square and a green triangle .")) {
                assertThat(model.answerTokens(Runs.PROMPT, answer)).isEqualTo(TinyModel.get().model.answerTokens(Runs.PROMPT, answer));
            }
            assertThat(model.settings().endpoints()).hasSize(1);
        }
    }
}
