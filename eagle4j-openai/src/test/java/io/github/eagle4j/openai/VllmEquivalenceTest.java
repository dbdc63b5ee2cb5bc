package io.github.eagle4j.openai;

import io.github.eagle4j.Explanation;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.Target;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.VisionLanguageModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --backend vllm} against a loopback server that speaks vLLM's format with the real probabilities of the bundled
 * model: the same answer, region order and curves (within 1e-4) as the in-process ONNX backend.
 */
class VllmEquivalenceTest {
    static FakeVllm server;
    static VisionLanguageModel vllm;
    static final RgbImage SCENE = TinyModel.scene();

    @BeforeAll
    static void start() {
        server = new FakeVllm();
        vllm = new ServerModelProvider().open(server.url(), Map.of("backend", "vllm"));
    }

    @AfterAll
    static void stop() {
        vllm.close();
        server.close();
    }

    @Test
    void sentenceLevelExplanationMatchesTheOnnxBackend() {
        Explanation onnx = Runs.explain(TinyModel.get().model, SCENE, Runs.grid(3, 3, SearchKind.FULL));
        int chatBefore = server.server.count(VllmModel.CHAT);
        Explanation remote = Runs.explain(vllm, SCENE, Runs.grid(3, 3, SearchKind.FULL));
        int requests = server.server.count(VllmModel.CHAT) - chatBefore;

        assertThat(remote.task().answer()).isEqualTo(onnx.task().answer());
        assertThat(remote.task().answerTokens()).isEqualTo(onnx.task().answerTokens());
        assertThat(remote.targets()).isEqualTo(onnx.targets());
        assertThat(remote.curves().order()).containsExactly(onnx.curves().order());
        double diff = Runs.maxCurveDifference(remote, onnx);
        assertThat(diff).isLessThanOrEqualTo(1e-4);
        assertThat(remote.cost().forwardPasses()).isEqualTo(onnx.cost().forwardPasses()).isEqualTo(9 * 10);
        // 1 generation + 90 images + 1 prefix-cache check (the answer's tokens come from /tokenize, 3 requests once)
        assertThat(requests).isEqualTo(1 + 90 + 1);
        assertThat(server.server.count(VllmModel.TOKENIZE)).isLessThanOrEqualTo(6);
        assertThat(remote.provenance().backend()).isEqualTo("vllm");
        assertThat(remote.ordering().approximate()).isFalse();
        System.out.printf(Locale.ROOT, "vllm sentence level: answer '%s', order %s, max curve difference %.3g, %d chat requests%n",
                remote.task().answer(), java.util.Arrays.toString(remote.curves().order()), diff, requests);
    }

    @Test
    void wordLevelExplanationWithTheTurnLeftOpenMatchesTheOnnxBackend() {
        String answer = TinyModel.get().model.generate(SCENE, Runs.PROMPT, 24).text();
        String word = answer.split(" ")[1];
        Explanation onnx = Runs.explain(TinyModel.get().model, SCENE, answer, t -> TargetSelection.word(t, word),
                Runs.grid(4, 4, SearchKind.EFFICIENT));
        Explanation remote = Runs.explain(vllm, SCENE, answer, t -> TargetSelection.word(t, word), Runs.grid(4, 4, SearchKind.EFFICIENT));
        assertThat(remote.targets()).isEqualTo(onnx.targets());
        assertThat(remote.curves().order()).containsExactly(onnx.curves().order());
        double diff = Runs.maxCurveDifference(remote, onnx);
        assertThat(diff).isLessThanOrEqualTo(1e-4);
        List<Integer> indices = remote.targets().stream().map(Target::index).toList();
        assertThat(((VllmModel) vllm).scorer(Runs.PROMPT, answer, indices).closedTurn()).isFalse();
        System.out.printf(Locale.ROOT, "vllm word '%s', efficient 4x4: %d images, max curve difference %.3g%n", word,
                remote.cost().forwardPasses(), diff);
    }
}
