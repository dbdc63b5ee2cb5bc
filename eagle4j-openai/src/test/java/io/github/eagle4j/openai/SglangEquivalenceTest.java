package io.github.eagle4j.openai;

import io.github.eagle4j.Explanation;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.VisionLanguageModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --backend sglang} against a loopback server that speaks SGLang's {@code /generate} with the real probabilities
 * of the bundled model: the same answer, region order and curves (within 1e-4) as the in-process ONNX backend.
 */
class SglangEquivalenceTest {
    static FakeSglang server;
    static SglangModel sglang;
    static final RgbImage SCENE = TinyModel.scene();

    @BeforeAll
    static void start() {
        server = new FakeSglang();
        sglang = (SglangModel) new ServerModelProvider().open(server.url(),
                Map.of("backend", "sglang", "chatFormat", TinyModel.CHAT_FORMAT, "batchSize", "4"));
    }

    @AfterAll
    static void stop() {
        sglang.close();
        server.close();
    }

    @Test
    void sentenceLevelExplanationMatchesTheOnnxBackend() {
        Explanation onnx = Runs.explain(TinyModel.get().model, SCENE, Runs.grid(3, 3, SearchKind.FULL));
        int before = server.server.count(SglangProtocol.GENERATE);
        Explanation remote = Runs.explain(sglang, SCENE, Runs.grid(3, 3, SearchKind.FULL));
        int requests = server.server.count(SglangProtocol.GENERATE) - before;

        assertThat(remote.task().answer()).isEqualTo(onnx.task().answer());
        assertThat(remote.task().answerTokens()).isEqualTo(onnx.task().answerTokens());
        assertThat(remote.targets()).isEqualTo(onnx.targets());
        assertThat(remote.curves().order()).containsExactly(onnx.curves().order());
        double diff = Runs.maxCurveDifference(remote, onnx);
        assertThat(diff).isLessThanOrEqualTo(1e-4);
        assertThat(remote.provenance().backend()).isEqualTo("sglang");
        // one search step of the full greedy search on 9 regions sends at most 9 + 9 images: <= 5 requests of 4
        assertThat(remote.cost().scorerCalls()).isEqualTo(9);
        System.out.printf(Locale.ROOT, "sglang sentence level: answer '%s', order %s, max curve difference %.3g, %d /generate requests"
                + " for %d images%n", remote.task().answer(), java.util.Arrays.toString(remote.curves().order()), diff, requests, remote.cost().forwardPasses());
    }

    @Test
    void wordLevelExplanationMatchesTheOnnxBackend() {
        String answer = TinyModel.get().model.generate(SCENE, Runs.PROMPT, 24).text();
        String word = answer.split(" ")[0];
        Explanation onnx = Runs.explain(TinyModel.get().model, SCENE, answer, t -> TargetSelection.word(t, word),
                Runs.grid(4, 4, SearchKind.LAZY));
        Explanation remote = Runs.explain(sglang, SCENE, answer, t -> TargetSelection.word(t, word), Runs.grid(4, 4, SearchKind.LAZY));
        assertThat(remote.targets()).isEqualTo(onnx.targets());
        assertThat(remote.curves().order()).containsExactly(onnx.curves().order());
        double diff = Runs.maxCurveDifference(remote, onnx);
        assertThat(diff).isLessThanOrEqualTo(1e-4);
        System.out.printf(Locale.ROOT, "sglang word '%s', lazy 4x4: %d images, max curve difference %.3g%n", word,
                remote.cost().forwardPasses(), diff);
    }
}
