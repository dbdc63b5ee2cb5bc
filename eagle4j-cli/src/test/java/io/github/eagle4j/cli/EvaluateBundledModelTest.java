package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eagle evaluate} on part of the shipped manifest with the bundled trained model (coarser regions than the
 * README run, to stay fast): EAGLE's order beats the random order on both AUCs.
 */
class EvaluateBundledModelTest {
    @TempDir
    Path dir;

    @Test
    void eagleBeatsTheRandomOrderOnShippedScenes() throws Exception {
        Path out = dir.resolve("eval");
        ExplainCommandTest.Result r = eagle("evaluate", "--model", Path.of("..", "models", "tiny-shapes-llava").toString(),
                "--manifest", Path.of("..", "examples", "scenes", "manifest.jsonl").toString(), "--out", out.toString(),
                "--shard", "1/12", "--regions", "16", "--compare", "random,occlusion");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(s.get("evaluated").asInt()).isEqualTo(4);
        JsonNode eagle = s.get("methods").get("eagle");
        JsonNode random = s.get("methods").get("random");
        assertThat(eagle.get("insertionAuc").asDouble()).isGreaterThan(random.get("insertionAuc").asDouble());
        assertThat(eagle.get("deletionAuc").asDouble()).isLessThan(random.get("deletionAuc").asDouble());
        assertThat(eagle.get("pointingGame").get("mask").get("items").asInt()).isEqualTo(4);
    }
}
