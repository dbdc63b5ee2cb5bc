package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code eagle demo}, the README's main job, on the bundled model (fewer regions to keep it quick). */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void explainsTheColourAndShapeWordsOfTheSceneObject() throws IOException {
        Path out = dir.resolve("demo");
        ExplainCommandTest.Result r = eagle("demo", "--model", TinyModelGroundingTest.MODEL, "--regions", "16",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("model says: a green circle .", "PG box", "wrote");
        for (String f : List.of("scene.png", "object-mask.png", "demo.json")) {
            assertThat(out.resolve(f)).exists();
        }
        for (String word : List.of("colour-green", "shape-circle")) {
            for (String f : List.of("explanation.json", "report.html", "regions.png", "attribution.png", "overlay.png",
                    "curves.png", "image.png")) {
                assertThat(out.resolve(word).resolve(f)).exists();
            }
        }
        JsonNode demo = new ObjectMapper().readTree(out.resolve("demo.json").toFile());
        assertThat(demo.get("explainedAnswer").asText()).isEqualTo("a green circle .");
        JsonNode green = demo.get("explanations").get(0);
        assertThat(green.get("word").asText()).isEqualTo("green");
        assertThat(green.get("pointingGame").get("mask").asBoolean()).isTrue();
        JsonNode explanation = new ObjectMapper().readTree(out.resolve("colour-green/explanation.json").toFile());
        int n = explanation.get("regionCount").asInt();
        assertThat(explanation.get("forwardPasses").asLong()).isEqualTo((long) n * (n + 1));
        assertThat(explanation.get("targets").get(0).get("token").asText()).isEqualTo("green");
    }

    @Test
    void anObjectTheSceneDoesNotHaveIsRejected() {
        ExplainCommandTest.Result r = eagle("demo", "--model", TinyModelGroundingTest.MODEL, "--object", "3",
                "--out", dir.resolve("x").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--object 3").doesNotContain("Exception");
        assertThat(dir.resolve("x")).doesNotExist();
    }
}
