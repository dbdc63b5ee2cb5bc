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
import io.github.eagle4j.text.TextMaskBatch;
import io.github.eagle4j.text.TextSpan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.BitSet;
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
 * conversations), text regions over every message as the in-process pad masking, and conversations a server or format
 * cannot take refused in one line.
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
        Map<String, String> settings = new HashMap<>(Map.of("backend", "sglang", "chatFormat", format, "batchSize", "4",
                "padToken", "<pad>"));
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
    }

    /**
     * Text regions over the whole conversation, pad by text (docs/text.md, "Servers"): the earlier messages' words are
     * checked and replaced in their own messages, so the spans are the in-process backend's and every kept-span set
     * scores as the in-process pad masking of the same conversation does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void textRegionsCoverEveryMessageAsInProcess(String backend) {
        VisionLanguageModel remote = (backend.equals("vllm") ? vllm : sglang).withHistory(history);
        VisionLanguageModel local = TinyModel.get().model.withHistory(history);
        String answer = local.generate(SCENE, QUESTION, 24).text();
        List<Integer> targets = List.of(0, 1);
        try (TokenScorer r = remote.scorer(QUESTION, answer, targets); TokenScorer l = local.scorer(QUESTION, answer, targets)) {
            TextExplainer explainer = new TextExplainer(io.github.eagle4j.ExplainOptions.defaults(), SpanMode.WORDS, TextMask.PAD);
            List<TextSpan> spans = explainer.spans(r, SCENE.width(), SCENE.height());
            List<TextSpan> localSpans = explainer.spans(l, SCENE.width(), SCENE.height());
            assertThat(spans.stream().map(t -> t.message() + ":" + t.text()).toList())
                    .isEqualTo(localSpans.stream().map(t -> t.message() + ":" + t.text()).toList())
                    .contains("0:red", "1:" + history.get(1).text().split(" ")[0], "2:Describe");
            List<BitSet> kept = new ArrayList<>();
            BitSet all = new BitSet();
            all.set(0, spans.size());
            kept.add(new BitSet());
            kept.add(all);
            for (int s = 0; s < spans.size(); s++) {
                BitSet without = (BitSet) all.clone();
                without.clear(s);
                kept.add(without);
            }
            double[][] rp = r.scoreText(TextMaskBatch.onImage(SCENE, TextMask.PAD, spans, kept));
            double[][] lp = l.scoreText(TextMaskBatch.onImage(SCENE, TextMask.PAD, localSpans, kept));
            double diff = 0;
            double historyEffect = 0;
            for (int i = 0; i < rp.length; i++) {
                for (int t = 0; t < rp[i].length; t++) {
                    diff = Math.max(diff, Math.abs(rp[i][t] - lp[i][t]));
                    if (i >= 2 && spans.get(i - 2).message() < history.size()) {
                        historyEffect = Math.max(historyEffect, Math.abs(rp[i][t] - rp[1][t]));
                    }
                }
            }
            assertThat(diff).isLessThanOrEqualTo(1e-5);
            assertThat(historyEffect).as("a word of an earlier message, padded, moves the answer").isGreaterThan(1e-4);
            System.out.printf(Locale.ROOT, "%s text regions over a conversation: %d spans, %d kept-span sets, largest difference from"
                    + " in-process pad %.3g, largest effect of one earlier word %.3g%n", backend, spans.size(), kept.size(), diff,
                    historyEffect);
        }
    }
}
