package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code eagle explain --method}: each baseline writes the same outputs as EAGLE, its order scored the same way. */
class ExplainMethodCommandTest {
    @TempDir
    Path dir;

    @Test
    void everyBaselineFindsTheRedSquareAndWritesTheSameFiles() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        for (String method : new String[]{"rise", "lime", "kernelshap", "occlusion", "random"}) {
            Path out = dir.resolve(method);
            ExplainCommandTest.Result r = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                    "--prompt", "Describe the image.", "--target-word", "red", "--grid", "4x4", "--method", method,
                    "--baseline-samples", "300", "--seed", "3", "--gt-box", "40,8,56,24", "--out", out.toString());
            assertThat(r.status()).as(method + ": " + r.err()).isZero();
            assertThat(r.out()).contains("method: " + method + ",").doesNotContain("search: " + method);
            for (String file : new String[]{"explanation.json", "regions.png", "attribution.png", "overlay.png",
                    "curves.png", "report.html"}) {
                assertThat(out.resolve(file)).as(method + " " + file).exists();
            }
            JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
            assertThat(json.get("method").asText()).isEqualTo(method);
            assertThat(json.get("search").isNull()).isTrue();
            long methodImages = switch (method) {
                case "occlusion" -> 17;
                case "random" -> 0;
                default -> 300;
            };
            assertThat(json.get("forwardPasses").asLong()).as(method).isEqualTo(methodImages + 2 * 16);
            assertThat(json.get("insertionCurve")).hasSize(16);
            JsonNode provenance = json.get("provenance");
            assertThat(provenance.get("method").asText()).isEqualTo(method);
            assertThat(provenance.get("methodScores")).hasSize(16);
            if (!method.equals("occlusion")) {
                assertThat(provenance.get("methodSettings").get("seed").asLong()).isEqualTo(3);
            }
            if (!method.equals("random")) {
                // the square straddles cells 2, 3, 6 and 7
                assertThat(json.get("order").get(0).asInt()).as(method).isIn(2, 3, 6, 7);
                assertThat(json.get("pointingGame").get("box").asBoolean()).as(method).isTrue();
            }
            assertThat(r.out()).contains(method);
        }
    }

    @Test
    void anUnknownMethodOrTooFewSamplesIsOneLineAndExitTwo() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        ExplainCommandTest.Result r = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe.", "--method", "shap", "--out", dir.resolve("x").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--method").contains("kernelshap").doesNotContain("\n").doesNotContain("Exception");
        r = eagle("explain", "--model", "test:red-square", "--image", image.toString(), "--prompt", "Describe.",
                "--method", "lime", "--baseline-samples", "1", "--out", dir.resolve("y").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--baseline-samples");
    }
}
