package io.github.eagle4j.openai;

import io.github.eagle4j.Explanation;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.SearchKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two loopback vLLM replicas; one is killed in the middle of a run. Requests in flight on it and later ones are
 * rerouted to the survivor, and the explanation is the same as an undisturbed run's.
 */
class FailoverTest {
    static final RgbImage SCENE = TinyModel.scene();

    private static ServerModel open(FakeVllm a, FakeVllm b) {
        ServerSettings s = ServerSettings.of(ServerBackend.VLLM, a.url()).withEndpoints(List.of(a.url(), b.url()))
                .withConcurrency(8).withRetryPolicy(Duration.ofSeconds(10), 4, Duration.ofMillis(20), Duration.ofSeconds(30));
        return ServerModels.open(s, n -> null);
    }

    @Test
    void killingOneOfTwoEndpointsMidRunGivesTheSameExplanation() {
        Explanation undisturbed;
        List<Long> spread;
        try (FakeVllm a = new FakeVllm(); FakeVllm b = new FakeVllm(); ServerModel model = open(a, b)) {
            undisturbed = Runs.explain(model, SCENE, Runs.grid(3, 3, SearchKind.FULL));
            spread = model.requestsPerEndpoint();
            assertThat(model.retriesSent()).isZero();
        }
        // least outstanding requests: both replicas carry a fair share
        assertThat(spread.get(0)).isGreaterThan(spread.get(1) / 3);
        assertThat(spread.get(1)).isGreaterThan(spread.get(0) / 3);

        try (FakeVllm a = new FakeVllm(); FakeVllm b = new FakeVllm(); ServerModel model = open(a, b)) {
            AtomicBoolean killed = new AtomicBoolean();
            a.server.faults = (path, n) -> {
                if (path.equals(VllmModel.CHAT) && n == 25 && killed.compareAndSet(false, true)) {
                    new Thread(a.server::kill).start();
                }
                return LoopbackServer.Fault.NONE;
            };
            Explanation disturbed = Runs.explain(model, SCENE, Runs.grid(3, 3, SearchKind.FULL));
            assertThat(killed).isTrue();
            assertThat(model.retriesSent()).isPositive();
            assertThat(disturbed.task().answer()).isEqualTo(undisturbed.task().answer());
            assertThat(disturbed.curves().order()).containsExactly(undisturbed.curves().order());
            assertThat(disturbed.curves().insertionCurve()).containsExactly(undisturbed.curves().insertionCurve());
            assertThat(disturbed.curves().deletionCurve()).containsExactly(undisturbed.curves().deletionCurve());
            assertThat(disturbed.regionScores()).containsExactly(undisturbed.regionScores());
            assertThat(disturbed.cost().forwardPasses()).isEqualTo(undisturbed.cost().forwardPasses()).isEqualTo(9 * 10);
            System.out.printf(Locale.ROOT, "failover: undisturbed requests per endpoint %s; disturbed %s with %d retries,"
                            + " endpoint A answered %d chat requests before it died%n",
                    spread, model.requestsPerEndpoint(), model.retriesSent(), a.server.count(VllmModel.CHAT));
        }
    }
}
