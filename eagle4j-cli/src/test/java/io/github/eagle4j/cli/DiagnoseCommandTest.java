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
import static org.assertj.core.api.Assertions.within;

/** {@code eagle diagnose} end to end on a test model fooled by a magenta distractor. */
class DiagnoseCommandTest {
    @TempDir
    Path dir;

    @Test
    void findsTheDistractorThatCausesTheWrongYes() throws IOException {
        // magenta patch in grid cell (row 1, col 2) of a 4x4 grid: region 6
        Path image = TestImages.patch(dir, "distractor.png", 32, 16, YesNoModel.MAGENTA);
        Path out = dir.resolve("diag");
        ExplainCommandTest.Result r = eagle("diagnose", "--model", "toy:yes-no", "--image", image.toString(),
                "--prompt", "Is there a red square?", "--label", "no", "--grid", "4x4", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        for (String f : List.of("explanation.json", "diagnosis.json", "culprits.png", "regions.png", "attribution.png",
                "overlay.png")) {
            assertThat(out.resolve(f)).exists();
        }
        JsonNode d = new ObjectMapper().readTree(out.resolve("diagnosis.json").toFile());
        assertThat(d.get("label").asText()).isEqualTo("no");
        assertThat(d.get("modelAnswer").asText()).isEqualTo("yes");
        assertThat(d.get("hallucinated").asBoolean()).isTrue();
        assertThat(d.get("target").get("index").asInt()).isZero();
        assertThat(d.get("target").get("token").asText()).isEqualTo("no");
        JsonNode revised = d.get("revisedAnswers");
        assertThat(revised).hasSize(16);
        assertThat(revised.get(15).asText()).isEqualTo("yes");
        assertThat(revised.get(14).asText()).isEqualTo("no");
        assertThat(d.get("correctingK").asInt()).isEqualTo(15);
        assertThat(d.get("culpritRegions")).hasSize(1);
        assertThat(d.get("culpritRegions").get(0).asInt()).isEqualTo(6);
        assertThat(d.get("mcr").asDouble()).isCloseTo(1 / 16.0, within(1e-12));
        assertThat(d.get("removedArea").asDouble()).isCloseTo(1 / 16.0, within(1e-12));
        assertThat(d.get("withinBudget").asBoolean()).isTrue();
        assertThat(d.get("generations").asInt()).isEqualTo(17);
        assertThat(d.has("insertionAuc")).isTrue();

        JsonNode e = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(e.get("answer").asText()).isEqualTo("no");
        int n = e.get("order").size();
        assertThat(e.get("order").get(n - 1).asInt()).isEqualTo(6);
        assertThat(r.out()).contains("hallucinated", "corrected at k = 15", "mcr 0.0625");
    }

    @Test
    void aBaselineOrderIsScannedLikeEaglesWithMethod() throws IOException {
        // occlusion ranks the distractor last too: removing it alone is what raises 'no' most
        Path image = TestImages.patch(dir, "distractor.png", 32, 16, YesNoModel.MAGENTA);
        Path out = dir.resolve("occlusion");
        ExplainCommandTest.Result r = eagle("diagnose", "--model", "toy:yes-no", "--image", image.toString(),
                "--prompt", "Is there a red square?", "--label", "no", "--grid", "4x4", "--method", "occlusion",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode e = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(e.get("method").asText()).isEqualTo("occlusion");
        JsonNode d = new ObjectMapper().readTree(out.resolve("diagnosis.json").toFile());
        assertThat(d.get("hallucinated").asBoolean()).isTrue();
        assertThat(d.get("culpritRegions").get(0).asInt()).isEqualTo(6);
        assertThat(d.get("generations").asInt()).isEqualTo(17);
        ExplainCommandTest.Result bad = eagle("diagnose", "--model", "toy:yes-no", "--image", image.toString(),
                "--prompt", "Is there a red square?", "--label", "no", "--method", "gradcam", "--out",
                dir.resolve("x").toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).startsWith("eagle diagnose: --method 'gradcam'");
    }

    @Test
    void aCorrectAnswerIsReportedNotScanned() throws IOException {
        Path image = TestImages.patch(dir, "red.png", 16, 16, YesNoModel.RED);
        Path out = dir.resolve("ok");
        ExplainCommandTest.Result r = eagle("diagnose", "--model", "toy:yes-no", "--image", image.toString(),
                "--prompt", "Is there a red square?", "--label", "yes", "--grid", "4x4", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode d = new ObjectMapper().readTree(out.resolve("diagnosis.json").toFile());
        assertThat(d.get("hallucinated").asBoolean()).isFalse();
        assertThat(d.get("revisedAnswers")).isEmpty();
        assertThat(d.get("mcr").isNull()).isTrue();
        assertThat(out.resolve("culprits.png")).exists();
        assertThat(r.out()).contains("correct");
    }

    @Test
    void badInputIsOneLine() throws IOException {
        Path image = TestImages.patch(dir, "red.png", 16, 16, YesNoModel.RED);
        ExplainCommandTest.Result r = eagle("diagnose", "--model", "toy:yes-no", "--image", image.toString(),
                "--prompt", "Is there a red square?", "--label", " ", "--out", dir.resolve("x").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--label").doesNotContain("Exception");
        assertThat(dir.resolve("x")).doesNotExist();
        ExplainCommandTest.Result t = eagle("diagnose", "--model", "toy:yes-no", "--image", image.toString(),
                "--prompt", "Is there a red square?", "--label", "no", "--max-new-tokens", "0", "--out",
                dir.resolve("x").toString());
        assertThat(t.status()).isEqualTo(2);
        assertThat(t.err()).contains("--max-new-tokens");
    }
}
