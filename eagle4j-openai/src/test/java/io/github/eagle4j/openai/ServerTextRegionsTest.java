package io.github.eagle4j.openai;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TextExplainer;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.TextExplanation;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextMaskBatch;
import io.github.eagle4j.text.TextSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Text regions on the servers (docs/text.md, "Servers"): {@code pad} by text, each removed word sent as the pad token's
 * text once per token, against the loopback vLLM and SGLang servers that run the bundled model. The spans are the
 * in-process backend's and every kept-span set scores as the in-process pad masking does; {@code drop} is refused in
 * one line naming the backend, and a pad token the server cannot tell is asked for in one line.
 */
class ServerTextRegionsTest {
    private static final String PROMPT = "Is there a red circle?";
    private static final RgbImage SCENE = TinyModel.scene();
    FakeVllm server;
    FakeSglang sglangServer;
    ServerModel vllm;

    @BeforeEach
    void start() {
        server = new FakeVllm();
        vllm = (ServerModel) new ServerModelProvider().open(server.url(), Map.of("backend", "vllm"));
        sglangServer = new FakeSglang();
    }

    @AfterEach
    void stop() {
        vllm.close();
        server.close();
        sglangServer.close();
    }

    private ServerModel sglang(String padToken) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("backend", "sglang", "chatFormat", TinyModel.CHAT_FORMAT));
        if (padToken != null) {
            settings.put("padToken", padToken);
        }
        return (ServerModel) new ServerModelProvider().open(sglangServer.url(), settings);
    }

    @Test
    void vllmPadByTextScoresAsTheInProcessPadMasking() {
        padByTextScoresAsTheInProcessPadMasking(vllm);
    }

    @Test
    void sglangPadByTextScoresAsTheInProcessPadMasking() {
        try (ServerModel sglang = sglang("<pad>")) {
            padByTextScoresAsTheInProcessPadMasking(sglang);
        }
    }

    @Test
    void sglangAsksForThePadToken() {
        try (ServerModel sglang = sglang(null); TokenScorer remote = sglang.scorer(PROMPT, "yes", List.of(0))) {
            assertThatThrownBy(() -> remote.promptTokens(SCENE.width(), SCENE.height()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("padToken is needed for text regions on SGLang")
                    .extracting(e -> ((InvalidInputException) e).input()).isEqualTo(ServerSettings.PAD_TOKEN);
        }
    }

    private void padByTextScoresAsTheInProcessPadMasking(ServerModel model) {
        try (TokenScorer remote = model.scorer(PROMPT, "yes", List.of(0, 1));
             TokenScorer local = TinyModel.get().model.scorer(PROMPT, "yes", List.of(0, 1))) {
            assertThat(remote.textMasks()).containsExactly(TextMask.PAD);
            TextExplainer explainer = new TextExplainer(ExplainOptions.defaults(), SpanMode.WORDS, TextMask.PAD);
            List<TextSpan> spans = explainer.spans(remote, SCENE.width(), SCENE.height());
            List<TextSpan> localSpans = explainer.spans(local, SCENE.width(), SCENE.height());
            assertThat(spans.stream().map(TextSpan::text).toList()).containsExactly("Is", "there", "a", "red", "circle", "?")
                    .isEqualTo(localSpans.stream().map(TextSpan::text).toList());
            List<BitSet> kept = new ArrayList<>();
            kept.add(new BitSet());
            BitSet all = new BitSet();
            all.set(0, spans.size());
            kept.add(all);
            for (int s = 0; s < spans.size(); s++) {
                BitSet without = (BitSet) all.clone();
                without.clear(s);
                kept.add(without);
                BitSet only = new BitSet();
                only.set(s);
                kept.add(only);
            }
            double[][] r = remote.scoreText(TextMaskBatch.onImage(SCENE, TextMask.PAD, spans, kept));
            double[][] l = local.scoreText(TextMaskBatch.onImage(SCENE, TextMask.PAD, localSpans, kept));
            double diff = 0;
            for (int i = 0; i < r.length; i++) {
                for (int t = 0; t < r[i].length; t++) {
                    diff = Math.max(diff, Math.abs(r[i][t] - l[i][t]));
                }
            }
            assertThat(diff).isLessThanOrEqualTo(1e-5);
            // every word removed changes the answer's probability: the pad texts reached the model
            assertThat(Math.abs(r[0][0] - r[1][0])).isGreaterThan(1e-3);
            TextExplanation e = explainer.explain(SCENE, remote);
            assertThat(e.provenance().segmentation().settings().get("textMasking").toString()).startsWith("pad by text");
            assertThat(e.order()).containsExactly(explainer.explain(SCENE, local).order());
            System.out.printf(Locale.ROOT, "%s pad by text: %d kept-span sets, largest difference from in-process pad %.3g%n",
                    remote.description().backend(), kept.size(), diff);
        }
    }

    @Test
    void dropIsRefusedNamingTheBackendAndAMissingTokenizerInfoIsNamed() {
        try (TokenScorer remote = vllm.scorer(PROMPT, "yes", List.of(0))) {
            assertThatThrownBy(() -> new TextExplainer(ExplainOptions.defaults(), SpanMode.WORDS, TextMask.DROP)
                    .spans(remote, SCENE.width(), SCENE.height()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("textMask drop: backend vllm can mask prompt text only with [pad]");
        }
        server.tokenizerInfo = false;
        try (TokenScorer remote = vllm.scorer(PROMPT, "yes", List.of(0))) {
            assertThatThrownBy(() -> remote.promptTokens(SCENE.width(), SCENE.height()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("text regions on vLLM need the pad token, and /tokenizer_info is not served"
                            + " (start vLLM with --enable-tokenizer-info-endpoint)");
        }
    }
}
