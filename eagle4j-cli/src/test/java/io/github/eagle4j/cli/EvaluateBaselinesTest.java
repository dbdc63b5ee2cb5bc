package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code eagle evaluate --compare rise,lime,kernelshap}: each sampling baseline on the same items and regions, at a
 * fixed sample count or at EAGLE's budget, with its own hallucination scan, wall time and mean curves.
 */
class EvaluateBaselinesTest {
    @TempDir
    Path dir;

    /** Three red-square captions and one labelled question the toy model answers wrongly (grid cell 6 fools it). */
    private Path manifest() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        List<String> lines = new ArrayList<>();
        int[][] at = {{40, 8}, {4, 4}, {24, 40}};
        for (int i = 0; i < at.length; i++) {
            TestImages.patch(data, "red-" + i + ".png", at[i][0], at[i][1], YesNoModel.RED);
            lines.add(String.format("{\"id\": \"red-%d\", \"image\": \"red-%d.png\", \"prompt\": \"Describe the image.\", "
                    + "\"answer\": \"a red square .\", \"targets\": \"red\", \"box\": [%d, %d, %d, %d]}", i, i,
                    at[i][0], at[i][1], at[i][0] + 16, at[i][1] + 16));
        }
        TestImages.patch(data, "magenta.png", 32, 16, YesNoModel.MAGENTA);
        lines.add("{\"id\": \"fooled\", \"image\": \"magenta.png\", \"prompt\": \"Is there a red square?\", \"label\": \"no\"}");
        return Files.write(data.resolve("manifest.jsonl"), lines);
    }

    private static ExplainCommandTest.Result evaluate(Path manifest, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("evaluate", "--model", "toy:yes-no", "--manifest", manifest.toString(),
                "--out", out.toString(), "--grid", "4x4", "--compare", "kernelshap,lime,rise"));
        a.addAll(List.of(extra));
        return eagle(a.toArray(String[]::new));
    }

    @Test
    void atEaglesBudgetEverySamplingMethodScoresExactlyEaglesImagesPerItem() throws IOException {
        Path out = dir.resolve("budget");
        ExplainCommandTest.Result r = evaluate(manifest(), out, "--compare-at-budget");
        assertThat(r.status()).as(r.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        for (String id : List.of("red-0", "red-1", "red-2", "fooled")) {
            JsonNode methods = json.readTree(out.resolve("items").resolve(id).resolve("result.json").toFile()).get("methods");
            long eagle = methods.get("eagle").get("forwardPasses").asLong();
            assertThat(eagle).isEqualTo(16 * 17);
            for (String m : List.of("rise", "lime", "kernelshap")) {
                assertThat(methods.get(m).get("forwardPasses").asLong()).as(id + " " + m).isEqualTo(eagle);
            }
        }
        JsonNode s = json.readTree(out.resolve("summary.json").toFile());
        // listed in the tool's order whatever the order asked
        List<String> names = new ArrayList<>();
        s.get("methods").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("eagle", "rise", "lime", "kernelshap");
        assertThat(s.get("settings").get("baselineSamples").asText()).isEqualTo("eagle's budget");
        for (String m : names) {
            JsonNode method = s.get("methods").get(m);
            // the single fooling cell is found by every method: removing it (1/16 of the image) corrects the answer
            JsonNode h = method.get("hallucination");
            assertThat(h.get("hallucinated").asInt()).as(m).isEqualTo(1);
            assertThat(h.get("amcr").asDouble()).as(m).isCloseTo(1 / 16.0, within(1e-12));
            assertThat(h.get("csrHonest").asDouble()).as(m).isEqualTo(1.0);
            assertThat(method.get("pointingGame").get("box").get("rate").asDouble()).as(m).isEqualTo(1.0);
            assertThat(s.get("timing").get("methodsMs").has(m)).isTrue();
            JsonNode curves = method.get("meanCurves");
            assertThat(curves.get("area")).hasSize(21);
            assertThat(curves.get("insertionMean")).hasSize(21);
            assertThat(curves.get("deletionSd")).hasSize(21);
            // every curve starts at the full image (deletion) and ends at it (insertion)
            assertThat(curves.get("insertionMean").get(20).asDouble())
                    .isCloseTo(curves.get("deletionMean").get(0).asDouble(), within(1e-12));
        }
        assertThat(r.out()).contains("AMCR", "CSR@10", "kernelshap", "time");
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("Mean curves", "id=\"mean-insertion\"", "id=\"mean-deletion\"", "CSR@10%");
    }

    @Test
    void aFixedSampleCountIsSpentOnEveryItemAndTheSameSeedGivesTheSameOrders() throws IOException {
        Path m = manifest();
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        ExplainCommandTest.Result r = evaluate(m, a, "--baseline-samples", "40", "--seed", "9");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(evaluate(m, b, "--baseline-samples", "40", "--seed", "9").status()).isZero();
        ObjectMapper json = new ObjectMapper();
        for (String id : List.of("red-0", "fooled")) {
            JsonNode ba = json.readTree(a.resolve("items").resolve(id).resolve("baselines.json").toFile());
            JsonNode bb = json.readTree(b.resolve("items").resolve(id).resolve("baselines.json").toFile());
            for (String method : List.of("rise", "lime", "kernelshap")) {
                assertThat(ba.get(method).get("forwardPasses").asLong()).isEqualTo(40 + 32);
                assertThat(ba.get(method).get("order")).isEqualTo(bb.get(method).get("order"));
                assertThat(ba.get(method).get("scores")).isEqualTo(bb.get(method).get("scores"));
                assertThat(ba.get(method).get("settings").get("samples").asInt()).isEqualTo(40);
            }
        }
        JsonNode s = json.readTree(a.resolve("summary.json").toFile());
        assertThat(s.get("settings").get("baselineSamples").asText()).isEqualTo("40");
    }

    @Test
    void unknownBaselinesAreRefusedByName() throws IOException {
        ExplainCommandTest.Result r = eagle("evaluate", "--model", "toy:yes-no", "--manifest", manifest().toString(),
                "--out", dir.resolve("x").toString(), "--compare", "rise,shap");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--compare shap").contains("kernelshap").doesNotContain("\n");
    }
}
