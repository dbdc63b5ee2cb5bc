package io.github.eagle4j.cli;

import io.github.eagle4j.evaluation.dataset.Manifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code eagle diagnose} on a real error of the bundled tiny model: the first question of
 * {@code examples/scenes/hallucinations.jsonl}, which the trained model answers wrongly.
 */
class DiagnoseBundledModelTest {
    private static final Path HALLUCINATIONS = Path.of("..", "examples", "scenes", "hallucinations.jsonl");
    private static final Path MODEL = Path.of("..", "models", "tiny-shapes-llava");

    @TempDir
    Path dir;

    @Test
    void diagnosesARealWrongAnswer() throws Exception {
        assumeTrue(Files.isRegularFile(HALLUCINATIONS), "examples/scenes/hallucinations.jsonl comes with the trained model");
        Manifest.Item item = Manifest.read(HALLUCINATIONS).items().get(0);
        Path out = dir.resolve("diag");
        ExplainCommandTest.Result r = eagle("diagnose", "--model", MODEL.toString(), "--image", item.image().toString(),
                "--prompt", item.prompt(), "--label", item.label(), "--regions", "32", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode d = new ObjectMapper().readTree(out.resolve("diagnosis.json").toFile());
        String opposite = item.label().equals("yes") ? "no" : "yes";
        // the model really is wrong: it says the other word
        assertThat(d.get("hallucinated").asBoolean()).isTrue();
        assertThat(d.get("modelAnswer").asText()).startsWith(opposite);
        int n = d.get("regionCount").asInt();
        JsonNode revised = d.get("revisedAnswers");
        assertThat(revised).hasSize(n);
        // the full image gives the original wrong answer again
        assertThat(revised.get(n - 1).asText()).isEqualTo(d.get("modelAnswer").asText());
        if (d.get("corrected").asBoolean()) {
            int k = d.get("correctingK").asInt();
            assertThat(revised.get(k - 1).asText()).startsWith(item.label());
            for (int j = k; j < n; j++) {
                assertThat(revised.get(j).asText()).doesNotStartWith(item.label());
            }
            assertThat(d.get("culpritRegions")).hasSize(n - k);
            assertThat(d.get("mcr").asDouble()).isEqualTo(d.get("removedArea").asDouble());
        } else {
            assertThat(d.get("mcr").asDouble()).isEqualTo(1.0);
        }
        assertThat(out.resolve("culprits.png")).exists();
    }
}
