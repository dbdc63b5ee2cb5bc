package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code eagle explain --search fast --budget --verify-steps} end to end. */
class FastSearchCommandTest {
    @TempDir
    Path dir;

    @Test
    void fullGreedyBelowItsImageCountIsRefusedInOneLine() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        Path out = dir.resolve("out");
        ExplainCommandTest.Result r = ExplainCommandTest.eagle("explain", "--model", "test:red-square", "--image",
                image.toString(), "--prompt", "Describe the image.", "--target-word", "red", "--grid", "4x4",
                "--budget", "100", "--out", out.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("eagle explain: --budget 100 is too small for search 'full' on 16 "
                + "regions: it needs at least 272 images; search 'fast' orders regions within a smaller budget");
        assertThat(out).doesNotExist();
    }

    @Test
    void fastSearchKeepsItsBudgetAndReportsItsCertificate() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        Path out = dir.resolve("out");
        ExplainCommandTest.Result r = ExplainCommandTest.eagle("explain", "--model", "test:red-square", "--image",
                image.toString(), "--prompt", "Describe the image.", "--target-word", "red", "--grid", "4x4",
                "--search", "fast", "--budget", "60", "--verify-steps", "3", "--seed", "5",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(json.get("search").asText()).isEqualTo("fast");
        JsonNode c = json.get("certificate");
        assertThat(c.get("budget").asLong()).isEqualTo(60);
        assertThat(c.get("stepsVerified").asInt()).isBetween(1, 16);
        assertThat(c.get("stepsSearched").asInt()).isBetween(c.get("stepsVerified").asInt(), 16);
        assertThat(c.get("stepsOrderedOtherwise").asInt()).isEqualTo(16 - c.get("stepsSearched").asInt());
        JsonNode v = c.get("verification");
        assertThat(v.get("stepsChecked").asInt()).isEqualTo(3);
        assertThat(v.get("seed").asLong()).isEqualTo(5);
        assertThat(v.get("steps")).hasSize(3);
        assertThat(v.get("agreements").asInt()).isBetween(0, 3);
        long searchImages = json.get("forwardPasses").asLong() - v.get("images").asLong();
        assertThat(searchImages).isBetween(2L * 16 + 2, 60L);
        assertThat(json.get("provenance").get("searchSettings").get("budget").asLong()).isEqualTo(60);
        assertThat(json.get("insertionCurve")).hasSize(16);
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("certificate").contains("steps verified").contains("budget 60 images")
                .contains("sampled steps agree");
    }

    @Test
    void budgetMustBePositive() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        ExplainCommandTest.Result r = ExplainCommandTest.eagle("explain", "--model", "test:red-square", "--image",
                image.toString(), "--prompt", "Describe the image.", "--grid", "4x4", "--search", "fast",
                "--budget", "0", "--out", dir.resolve("o").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--budget 0");
    }

    @Test
    void eachTokenWritesAMapPerTokenSharingImages() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        Path out = dir.resolve("out");
        ExplainCommandTest.Result r = ExplainCommandTest.eagle("explain", "--model", "test:red-square", "--image",
                image.toString(), "--prompt", "Describe the image.", "--grid", "4x4", "--each-token",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        JsonNode per = json.get("perToken");
        assertThat(per).hasSize(json.get("targets").size()).hasSize(5); // a red square . </s>
        JsonNode red = per.get(1);
        assertThat(red.get("token").asText()).isEqualTo("red");
        assertThat(red.get("order")).hasSize(16);
        assertThat(red.get("regionScores")).hasSize(16);
        assertThat(red.get("exactness").asText()).isEqualTo("exact");
        // the square straddles cells 2, 3, 6, 7: the red token's first region is one of them
        assertThat(red.get("order").get(0).asInt()).isIn(2, 3, 6, 7);
        for (String field : java.util.List.of("index", "insertionAuc", "deletionAuc", "imagesAsked", "certificate")) {
            assertThat(red.has(field)).as(field).isTrue();
        }
        // six full greedy searches of 272 images each, sharing what they can, each image counted once
        assertThat(json.get("forwardPasses").asLong()).isGreaterThan(272).isLessThan(6 * 272);
        for (int i = 0; i < 5; i++) {
            assertThat(out.resolve("tokens").resolve(String.format("overlay-%03d.png", i))).exists();
        }
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("Each token's own map").contains("all tokens");
        // a token the image barely moves gets a faded map that says why; the others are drawn as they are
        int faded = 0;
        for (JsonNode reading : json.get("tokenReliance")) {
            String label = reading.get("label").asText();
            if (label.equals("language-prior") || label.equals("flat-low")) {
                faded++;
            }
        }
        assertThat(faded).as("the red square's answer has prior tokens and image tokens").isBetween(1, 4);
        assertThat(html.split("class=\"token-map faded\"", -1)).hasSize(faded + 1);
        assertThat(html.split("class=\"token-map\"", -1)).hasSize(5 - faded + 1 + 1); // + the joint map
    }
}
