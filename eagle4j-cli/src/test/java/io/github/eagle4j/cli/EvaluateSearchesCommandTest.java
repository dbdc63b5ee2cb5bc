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

/**
 * {@code eagle evaluate --compare full,lazy,fast,...}: search kinds as compared methods (the labelled item's
 * hallucination scan included), measured against full greedy in summary.json and the printed table;
 * {@code --each-token}; {@code eagle bench --explain}.
 */
class EvaluateSearchesCommandTest {
    @TempDir
    Path dir;

    /** Two red-square captions and one labelled question the toy model answers wrongly. */
    private Path manifest() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        List<String> lines = new ArrayList<>();
        int[][] at = {{40, 8}, {4, 4}};
        for (int i = 0; i < at.length; i++) {
            TestImages.patch(data, "red-" + i + ".png", at[i][0], at[i][1], YesNoModel.RED);
            lines.add(String.format("{\"id\": \"red-%d\", \"image\": \"red-%d.png\", \"prompt\": \"Describe the image.\", "
                    + "\"answer\": \"a red square .\", \"targets\": \"red\"}", i, i));
        }
        TestImages.patch(data, "magenta.png", 32, 16, YesNoModel.MAGENTA);
        lines.add("{\"id\": \"fooled\", \"image\": \"magenta.png\", \"prompt\": \"Is there a red square?\", \"label\": \"no\"}");
        return Files.write(data.resolve("manifest.jsonl"), lines);
    }

    @Test
    void searchKindsAreComparedWithFullGreedyAndPrinted() throws IOException {
        Path out = dir.resolve("out");
        ExplainCommandTest.Result r = eagle("evaluate", "--model", "toy:yes-no", "--manifest", manifest().toString(),
                "--out", out.toString(), "--grid", "3x3", "--search", "lazy", "--compare", "occlusion,fast,full");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("against full (ratios of the means").contains("img/item");
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("settings").get("compare").toString()).isEqualTo("[\"full\",\"fast\",\"occlusion\"]");
        assertThat(summary.get("reference").asText()).isEqualTo("full");
        JsonNode full = summary.get("methods").get("full");
        assertThat(full.get("imagesPerItem").asDouble()).isEqualTo(9 * 10);
        assertThat(full.get("vsReference").get("tailItems").asInt()).isZero();
        JsonNode lazy = summary.get("methods").get("eagle").get("vsReference");
        assertThat(lazy.get("items").asInt()).isEqualTo(3);
        assertThat(lazy.get("imagesRatio").asDouble()).isEqualTo(
                summary.get("methods").get("eagle").get("imagesPerItem").asDouble() / (9 * 10));
        // 'full' was computed: the run's own search is lazy; full's images count as if it ran alone
        assertThat(summary.get("modelCalls").get("imagesComputed").asLong())
                .isLessThan(summary.get("modelCalls").get("forwardPasses").asLong());
        JsonNode fooled = new ObjectMapper().readTree(out.resolve("items/fooled/result.json").toFile()).get("methods");
        // the labelled item's wrong answer is scanned for its minimal correction along each search's order too
        assertThat(fooled.get("full").has("correction")).isTrue();
        assertThat(fooled.get("fast").has("correction")).isTrue();
        assertThat(Files.readString(out.resolve("report.html"))).contains("images ÷ ref");
    }

    @Test
    void anUnknownMethodIsRefusedNamingTheSearchesToo() throws IOException {
        ExplainCommandTest.Result r = eagle("evaluate", "--model", "toy:yes-no", "--manifest", manifest().toString(),
                "--out", dir.resolve("x").toString(), "--compare", "full,greedy");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--compare greedy").contains("full, efficient, lazy, fast, random")
                .doesNotContain("\n");
    }

    @Test
    void eachTokenWritesPerTokenAucsAndIsPartOfTheSettings() throws IOException {
        Path out = dir.resolve("tokens");
        Path manifest = manifest();
        ExplainCommandTest.Result r = eagle("evaluate", "--model", "toy:yes-no", "--manifest", manifest.toString(),
                "--out", out.toString(), "--grid", "2x2", "--each-token");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("settings").get("search").get("eachToken").asBoolean()).isTrue();
        assertThat(summary.get("methods").get("eagle").get("perToken").get("tokens").asInt()).isPositive();
        assertThat(r.out()).contains("per token (--each-token)");
        // resuming without --each-token would mix settings: refused
        ExplainCommandTest.Result again = eagle("evaluate", "--model", "toy:yes-no", "--manifest", manifest.toString(),
                "--out", out.toString(), "--grid", "2x2");
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains("eachToken");
    }

    @Test
    void benchExplainPrintsBothThroughputsAndTheirRatioPerBatchSize() {
        ExplainCommandTest.Result r = eagle("bench", "--model", java.nio.file.Path.of("..", "models",
                "tiny-shapes-llava").toString(), "--explain", "--regions", "4", "--warm-runs", "1", "--warm-up", "2");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(1)).contains("raw ORT").contains("warm/raw").contains("cold/raw").contains("warm-up").contains("jit");
        assertThat(lines.subList(2, 5)).extracting(l -> l.split("\\s+")[0]).containsExactly("1", "8", "32");
        ExplainCommandTest.Result bad = eagle("bench", "--explain", "--regions", "1");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("eagle bench: --regions must be at least 2, got 1");
        ExplainCommandTest.Result badWarmUp = eagle("bench", "--explain", "--warm-up", "-1");
        assertThat(badWarmUp.status()).isEqualTo(2);
        assertThat(badWarmUp.err().strip()).isEqualTo("eagle bench: --warm-up must be at least 0, got -1");
    }
}
