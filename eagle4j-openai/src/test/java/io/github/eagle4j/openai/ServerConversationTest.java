package io.github.eagle4j.openai;

import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TextExplainer;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.text.MessageRole;
import io.github.eagle4j.text.PromptMessage;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.TextMask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A conversation through vLLM (the earlier messages sent as chat messages, which the server's template renders) and
 * SGLang (written as text by the chat format's {@code {history}}), against the loopback servers that run the bundled
 * model: the same answer, region order and curves as the in-process model with the same history (docs/text.md,
 * conversations), and conversations a server or format cannot take refused in one line.
 */
class ServerConversationTest {
    static final RgbImage SCENE = TinyModel.scene();
    /** The question after the conversation: a caption, whose tokens are less certain than a yes or no. */
    static final String QUESTION = Runs.PROMPT;
    /** The earlier question. */
    static final String EARLIER = "Is there a red circle?";
    static FakeVllm vllmServer;
    static FakeSglang sglangServer;
    static VisionLanguageModel vllm;
    static VisionLanguageModel sglang;
    static List<PromptMessage> history;

    @BeforeAll
    static void start() {
        vllmServer = new FakeVllm();
        vllm = new ServerModelProvider().open(vllmServer.url(), Map.of("backend", "vllm"));
        sglangServer = new FakeSglang();
        sglang = sglang(TinyModel.CHAT_FORMAT);
        String earlier = TinyModel.get().model.generate(SCENE, EARLIER, 4).text();
        history = List.of(new PromptMessage(MessageRole.USER, EARLIER), new PromptMessage(MessageRole.ASSISTANT, earlier));
    }

    @AfterAll
    static void stop() {
        vllm.close();
        vllmServer.close();
        sglang.close();
        sglangServer.close();
    }

    static VisionLanguageModel sglang(String format) {
        Map<String, String> settings = new HashMap<>(Map.of("backend", "sglang", "chatFormat", format, "batchSize", "4"));
        return new ServerModelProvider().open(sglangServer.url(), settings);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void aConversationScoresAsTheInProcessModelWithTheSameHistory(String backend) {
        VisionLanguageModel owner = backend.equals("vllm") ? vllm : sglang;
        VisionLanguageModel remote = owner.withHistory(history);
        VisionLanguageModel local = TinyModel.get().model.withHistory(history);
        String answer = local.generate(SCENE, QUESTION, 24).text();
        assertThat(remote.generate(SCENE, QUESTION, 24).text()).isEqualTo(answer);
        assertThat(remote.answerTokens(QUESTION, answer)).isEqualTo(local.answerTokens(QUESTION, answer));
        Explanation onnx = explain(local, answer);
        Explanation server = explain(remote, answer);
        assertThat(server.task().history()).isEqualTo(history);
        assertThat(server.curves().order()).containsExactly(onnx.curves().order());
        double diff = Runs.maxCurveDifference(server, onnx);
        assertThat(diff).isLessThanOrEqualTo(1e-5);
        // the history reached the model: without it the same question scores otherwise
        Explanation single = explain(TinyModel.get().model, answer);
        double withoutHistory = Runs.maxCurveDifference(single, onnx);
        assertThat(withoutHistory).isGreaterThan(0.01);
        remote.close(); // a view: the owner still answers
        assertThat(owner.generate(SCENE, QUESTION, 4).text()).isNotEmpty();
        System.out.printf(Locale.ROOT, "%s with a conversation of %d messages: answer '%s', order %s, max difference from in-process %.3g"
                        + " (without the history: %.3g)%n", backend, history.size(), answer, java.util.Arrays.toString(server.curves().order()),
                diff, withoutHistory);
    }

    private static Explanation explain(VisionLanguageModel vlm, String answer) {
        try (TokenScorer scorer = vlm.scorer(QUESTION, answer, TargetSelection.all(vlm.answerTokens(QUESTION, answer)))) {
            return new Explainer(Runs.grid(3, 3, SearchKind.FULL)).explain(SCENE, scorer);
        }
    }

    @Test
    void conversationsAServerOrAFormatCannotTakeAreOneLine() {
        List<PromptMessage> withSystem = List.of(new PromptMessage(MessageRole.SYSTEM, "Be brief."), history.get(0), history.get(1));
        // vLLM: the server's chat template refuses a system message, and the view says so at once
        assertThatThrownBy(() -> vllm.withHistory(withSystem)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("HTTP 400").hasMessageContaining("Only user and assistant roles are supported")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        // SGLang: the format has no {system}, a format without {history} cannot write earlier turns, turns must pair up
        assertThatThrownBy(() -> sglang.withHistory(withSystem)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no {system} marker");
        try (VisionLanguageModel plain = sglang("<s>USER: <image>\\n{prompt} ASSISTANT:{gen} {answer} </s>")) {
            assertThatThrownBy(() -> plain.withHistory(history)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("has no {history} marker");
        }
        assertThatThrownBy(() -> sglang.withHistory(List.of(history.get(0)))).isInstanceOf(InvalidInputException.class)
                .hasMessage("a chat format writes earlier turns as user/assistant pairs after an optional system message; message 0"
                        + " of the conversation is user with no assistant answer after it");
        // text regions on the servers mask a single question's words
        for (VisionLanguageModel owner : List.of(vllm, sglang)) {
            VisionLanguageModel view = owner.withHistory(history);
            try (TokenScorer scorer = view.scorer(QUESTION, "yes", List.of(0))) {
                assertThatThrownBy(() -> new TextExplainer(io.github.eagle4j.ExplainOptions.defaults(), SpanMode.WORDS, TextMask.PAD)
                        .spans(scorer, SCENE.width(), SCENE.height()))
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessageContaining("masks the words of a single question by text, not a conversation's");
            }
        }
    }
}
