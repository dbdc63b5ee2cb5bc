package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.onnx.OnnxModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Faults between the scorer and a vLLM server: slow answers, dropped connections, 5xx, 429 with Retry-After, malformed
 * JSON, a prompt_logprobs list of the wrong length, refused 4xx, an unreachable server, a stale prefix cache. Each ends
 * retried with the right numbers, or as one clear error within the time the timeout allows; never a wrong number.
 */
class FaultTest {
    static final String ANSWER = "a red circle .";
    static final Duration TIMEOUT = Duration.ofMillis(600);
    static List<RgbImage> images;
    static double[][] expected;
    static List<Integer> targets;

    FakeVllm server;
    ServerModel model;

    @BeforeAll
    static void expectations() {
        RgbImage scene = TinyModel.scene();
        int[] half = scene.pixels();
        Arrays.fill(half, 0, half.length / 2, 0);
        images = List.of(scene, RgbImage.adopt(scene.width(), scene.height(), half), RgbImage.filled(scene.width(), scene.height(), 0));
        OnnxModel onnx = TinyModel.get().model;
        targets = TargetSelection.all(onnx.answerTokens(Runs.PROMPT, ANSWER));
        try (TokenScorer s = onnx.scorer(Runs.PROMPT, ANSWER, targets)) {
            expected = s.score(images);
        }
    }

    @AfterEach
    void stop() {
        if (model != null) {
            model.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ServerModel open(int retries) {
        server = server == null ? new FakeVllm() : server;
        ServerSettings s = ServerSettings.of(ServerBackend.VLLM, server.url())
                .withRetryPolicy(TIMEOUT, retries, Duration.ofMillis(20), Duration.ofSeconds(1));
        model = ServerModels.open(s, name -> null);
        return model;
    }

    private double[][] score() {
        try (TokenScorer s = model.scorer(Runs.PROMPT, ANSWER, targets)) {
            return s.score(images);
        }
    }

    private static void assertExact(double[][] actual) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < actual.length; i++) {
            for (int t = 0; t < actual[i].length; t++) {
                assertThat(actual[i][t]).as("image %d target %d", i, t).isCloseTo(expected[i][t], within(1e-9));
            }
        }
    }

    private void faultOnChat(java.util.function.IntFunction<LoopbackServer.Fault> f) {
        server.server.faults = (path, n) -> path.equals(VllmModel.CHAT) ? f.apply(n) : LoopbackServer.Fault.NONE;
    }

    @Test
    void slowAnswerTimesOutAndIsRetried() {
        server = new FakeVllm();
        open(3);
        faultOnChat(n -> n == 1 ? LoopbackServer.Fault.delay(3000) : LoopbackServer.Fault.NONE);
        long t0 = System.nanoTime();
        assertExact(score());
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.5);
        assertThat(model.retriesSent()).isEqualTo(1);
    }

    @Test
    void bodyThatTricklesIsCutAtTheTimeout() {
        server = new FakeVllm();
        open(3);
        faultOnChat(n -> n == 1 ? LoopbackServer.Fault.slowBody(50) : LoopbackServer.Fault.NONE);
        long t0 = System.nanoTime();
        assertExact(score());
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.5);
    }

    @Test
    void neverWaitsPastTheTimeoutWhenEveryAnswerIsSlow() {
        server = new FakeVllm();
        open(2);
        faultOnChat(n -> LoopbackServer.Fault.delay(5000));
        long t0 = System.nanoTime();
        assertThatThrownBy(this::score).isInstanceOf(ScoringException.class)
                .hasMessageContaining("failed 3 times").hasMessageContaining("no complete answer within")
                .hasMessageContaining(server.url());
        // 3 attempts of 0.6 s plus two short backoffs
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3 * 0.6 + 1.0);
    }

    @Test
    void droppedConnectionsAreRetried() {
        server = new FakeVllm();
        open(3);
        faultOnChat(n -> n <= 2 ? LoopbackServer.Fault.drop() : LoopbackServer.Fault.NONE);
        assertExact(score());
        assertThat(model.retriesSent()).isEqualTo(2);
    }

    @Test
    void serverErrorsAreRetried() {
        server = new FakeVllm();
        open(3);
        faultOnChat(n -> n == 1 || n == 3 ? LoopbackServer.Fault.status(500) : n == 4 ? LoopbackServer.Fault.status(503)
                : LoopbackServer.Fault.NONE);
        assertExact(score());
        assertThat(model.retriesSent()).isEqualTo(3);
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() {
        server = new FakeVllm();
        open(3);
        faultOnChat(n -> n == 1 ? LoopbackServer.Fault.status(429, "1") : LoopbackServer.Fault.NONE);
        assertExact(score());
        List<LoopbackServer.Received> chats = server.server.received(VllmModel.CHAT);
        double gap = (chats.get(1).nanos() - chats.get(0).nanos()) / 1e9;
        assertThat(gap).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void retryAfterLongerThanEagleWaitsIsOneClearError() {
        server = new FakeVllm();
        open(3);
        faultOnChat(n -> LoopbackServer.Fault.status(429, "3600"));
        assertThatThrownBy(this::score).isInstanceOf(ScoringException.class).hasMessageContaining("HTTP 429")
                .hasMessageContaining("retry after");
        assertThat(server.server.count(VllmModel.CHAT)).isEqualTo(1);
    }

    @Test
    void malformedJsonIsOneClearError() {
        server = new FakeVllm();
        open(3);
        faultOnChat(n -> LoopbackServer.Fault.malformed());
        assertThatThrownBy(this::score).isInstanceOf(ScoringException.class).hasMessageContaining("not JSON")
                .hasMessageContaining(server.url());
        assertThat(server.server.count(VllmModel.CHAT)).isEqualTo(1);
    }

    @Test
    void promptLogprobsOfTheWrongLengthIsOneClearError() {
        server = new FakeVllm();
        open(3);
        server.mutate = r -> {
            ((ArrayNode) r.get("prompt_logprobs")).remove(0);
            return r;
        };
        assertThatThrownBy(this::score).isInstanceOf(ScoringException.class)
                .hasMessageMatching(".*prompt_logprobs has \\d+ entries but prompt_token_ids has \\d+.*");
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        server = new FakeVllm();
        open(3);
        faultOnChat(n -> LoopbackServer.Fault.status(400));
        assertThatThrownBy(this::score).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("endpoint " + server.url()).hasMessageContaining("HTTP 400")
                .hasMessageContaining("injected 400");
        assertThat(server.server.count(VllmModel.CHAT)).isEqualTo(1);
    }

    @Test
    void unknownServedModelIsReportedAtOpen() {
        server = new FakeVllm();
        ServerSettings s = ServerSettings.of(ServerBackend.VLLM, server.url()).withServedModel("llava-7b");
        assertThatThrownBy(() -> ServerModels.open(s, n -> null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("servedModel llava-7b is not served by").hasMessageContaining(FakeVllm.SERVED)
                .extracting(e -> ((InvalidInputException) e).input()).isEqualTo(ServerSettings.SERVED_MODEL);
    }

    @Test
    void unreachableServerIsOneClearErrorQuickly() {
        LoopbackServer gone = new LoopbackServer();
        String url = gone.url();
        gone.kill();
        ServerSettings s = ServerSettings.of(ServerBackend.VLLM, url)
                .withRetryPolicy(TIMEOUT, 2, Duration.ofMillis(20), Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ServerModels.open(s, n -> null)).isInstanceOf(ScoringException.class)
                .hasMessageContaining("connection refused").hasMessageContaining(url);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.0);
    }

    @Test
    void stalePrefixCacheStopsWithTheFlagToUse() {
        server = new FakeVllm();
        server.prefixCacheBug = true;
        open(3);
        assertThatThrownBy(this::score).isInstanceOf(ScoringException.class)
                .hasMessageContaining("--no-enable-prefix-caching");
    }

    @Test
    void answerTokensComeFromTokenizeDiffs() {
        server = new FakeVllm();
        open(0);
        List<AnswerToken> remote = model.answerTokens(Runs.PROMPT, ANSWER);
        assertThat(remote).isEqualTo(TinyModel.get().model.answerTokens(Runs.PROMPT, ANSWER));
    }
}
