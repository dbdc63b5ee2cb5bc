package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code eagle evaluate} end to end on the toy model: summary, resumability (including a SIGKILL of a separate JVM
 * in the middle of a run), shards and merge.
 */
class EvaluateCommandTest {
    static final int ITEMS = 7;

    @TempDir
    Path dir;
    Path manifest;

    @BeforeEach
    void writeManifest() throws IOException {
        manifest = writeManifest(dir);
    }

    /** Five caption items (red square at different places, box and mask) and two labelled yes/no items. */
    static Path writeManifest(Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        List<String> lines = new ArrayList<>();
        int[][] at = {{40, 8}, {4, 4}, {24, 40}, {44, 44}, {10, 30}};
        for (int i = 0; i < at.length; i++) {
            int x = at[i][0];
            int y = at[i][1];
            TestImages.patch(data, "red-" + i + ".png", x, y, YesNoModel.RED);
            TestImages.mask(data, "red-" + i + "-mask.png", x, y);
            lines.add(String.format("{\"id\": \"red-%d\", \"image\": \"red-%d.png\", \"prompt\": \"Describe the image.\", "
                    + "\"answer\": \"a red square .\", \"targets\": \"red\", \"box\": [%d, %d, %d, %d], "
                    + "\"mask\": \"red-%d-mask.png\"}", i, i, x, y, x + 16, y + 16, i));
        }
        // the model says yes because of the magenta patch; removing grid cell 6 corrects it
        TestImages.patch(data, "magenta.png", 32, 16, YesNoModel.MAGENTA);
        lines.add("{\"id\": \"fooled\", \"image\": \"magenta.png\", \"prompt\": \"Is there a red square?\", \"label\": \"no\"}");
        // no k makes the model say the (contrived) label: never corrected
        TestImages.patch(data, "grey.png", 0, 0, 0x9A9A9A);
        lines.add("{\"id\": \"never\", \"image\": \"grey.png\", \"prompt\": \"Is there a red square?\", \"label\": \"yes\"}");
        return Files.write(data.resolve("manifest.jsonl"), lines);
    }

    /** The CLI in a separate JVM (so it can be killed), its scorer slowed down by {@code delayMs} per call. */
    static Process child(List<String> args, Path log, int delayMs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EagleCli.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("EAGLE4J_TEST_SCORE_DELAY_MS", Integer.toString(delayMs));
        return pb.start();
    }

    static List<String> args(Path manifest, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("evaluate", "--model", "toy:yes-no", "--manifest", manifest.toString(),
                "--out", out.toString(), "--grid", "4x4", "--compare", "random,occlusion"));
        a.addAll(List.of(extra));
        return a;
    }

    static ExplainCommandTest.Result run(List<String> args) {
        return eagle(args.toArray(String[]::new));
    }

    static ObjectNode summary(Path out) throws IOException {
        return (ObjectNode) new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    /** The summary without the clock-dependent part. */
    static ObjectNode withoutTiming(ObjectNode summary) {
        ObjectNode copy = summary.deepCopy();
        copy.remove("timing");
        return copy;
    }

    static List<String> itemFolders(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("items"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void evaluatesEveryItemAndSummarises() throws IOException {
        Path out = dir.resolve("out");
        ExplainCommandTest.Result r = run(args(manifest, out));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(itemFolders(out)).containsExactly("fooled", "never", "red-0", "red-1", "red-2", "red-3", "red-4");
        Path red0 = out.resolve("items/red-0");
        for (String f : List.of("explanation.json", "result.json", "baselines.json", "overlay.png", "regions.png")) {
            assertThat(red0.resolve(f)).exists();
        }
        assertThat(out.resolve("items/fooled/diagnosis.json")).exists();
        assertThat(out.resolve("items/fooled/culprits.png")).exists();

        ObjectNode s = summary(out);
        assertThat(s.get("evaluated").asInt()).isEqualTo(ITEMS);
        assertThat(s.get("complete").asBoolean()).isTrue();

        // the run's report: self-contained, one row per item linking the item's own report
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("id=\"methods\"", "id=\"items\"", "href=\"items/red-0/report.html\"",
                "src=\"data:image/png;base64,").doesNotContain("http://", "https://");
        assertThat(html.split("<tr", -1).length - 1).as("rows").isGreaterThanOrEqualTo(ITEMS + 3);
        JsonNode eagle = s.get("methods").get("eagle");
        JsonNode random = s.get("methods").get("random");
        JsonNode occlusion = s.get("methods").get("occlusion");
        assertThat(eagle.get("items").asInt()).isEqualTo(ITEMS);
        // the red square straddles cells; EAGLE's first region always touches it
        assertThat(eagle.get("pointingGame").get("box").get("items").asInt()).isEqualTo(5);
        assertThat(eagle.get("pointingGame").get("box").get("rate").asDouble()).isEqualTo(1.0);
        assertThat(eagle.get("pointingGame").get("mask").get("rate").asDouble()).isEqualTo(1.0);
        assertThat(eagle.get("insertionAuc").asDouble()).isGreaterThan(random.get("insertionAuc").asDouble());
        assertThat(eagle.get("deletionAuc").asDouble()).isLessThan(random.get("deletionAuc").asDouble());
        assertThat(eagle.get("insertionAuc").asDouble()).isGreaterThanOrEqualTo(occlusion.get("insertionAuc").asDouble());
        // full greedy on 16 cells: 16·17 images per item; random 2N; occlusion N + 1 + 2N
        assertThat(eagle.get("forwardPasses").asLong()).isEqualTo(ITEMS * 272L);
        assertThat(random.get("forwardPasses").asLong()).isEqualTo(ITEMS * 32L);
        assertThat(occlusion.get("forwardPasses").asLong()).isEqualTo(ITEMS * 49L);

        JsonNode h = s.get("hallucination");
        assertThat(h.get("labelled").asInt()).isEqualTo(2);
        assertThat(h.get("hallucinated").asInt()).isEqualTo(2);
        assertThat(h.get("corrected").asInt()).isEqualTo(1);
        assertThat(h.get("neverCorrected").asInt()).isEqualTo(1);
        // AMCR = (1/16 + 1) / 2; CSR@10%: 1/2 honest, 1/1 authors'
        assertThat(h.get("amcr").asDouble()).isCloseTo((1 / 16.0 + 1) / 2, within(1e-12));
        assertThat(h.get("csrHonest").asDouble()).isEqualTo(0.5);
        assertThat(h.get("csrAuthors").asDouble()).isEqualTo(1.0);
        // 2 first answers + 2 × 16 re-generations along EAGLE's order, and as many along each baseline's
        assertThat(s.get("modelCalls").get("generations").asLong()).isEqualTo(2 + 3 * 2 * 16);

        assertThat(r.out()).contains("eagle", "random", "occlusion", "ins AUC", "PG box", "AMCR 0.5313",
                "CSR@10% 50.00 % honest (1/2), 100.00 % authors' (1/1)", "protocol:");
        assertThat(r.err()).contains("7 to go");

        // a re-run finds everything done and writes the same summary
        ExplainCommandTest.Result again = run(args(manifest, out));
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.err()).contains("7 already done", "0 to go");
        assertThat(withoutTiming(summary(out))).isEqualTo(withoutTiming(s));
    }

    @Test
    void shardsMergedEqualTheWholeRun() throws IOException {
        Path whole = dir.resolve("whole");
        assertThat(run(args(manifest, whole)).status()).isZero();
        Path one = dir.resolve("shard1");
        Path two = dir.resolve("shard2");
        ExplainCommandTest.Result r1 = run(args(manifest, one, "--shard", "1/2"));
        ExplainCommandTest.Result r2 = run(args(manifest, two, "--shard", "2/2"));
        assertThat(r1.status()).as(r1.err()).isZero();
        assertThat(r2.status()).as(r2.err()).isZero();
        // indices 0, 2, 4, 6 and 1, 3, 5
        assertThat(itemFolders(one)).containsExactly("never", "red-0", "red-2", "red-4");
        assertThat(itemFolders(two)).containsExactly("fooled", "red-1", "red-3");
        assertThat(summary(one).get("complete").asBoolean()).isFalse();
        assertThat(summary(one).get("shard").asText()).isEqualTo("1/2");

        Path merged = dir.resolve("merged");
        ExplainCommandTest.Result m = eagle("evaluate", "--merge", one.toString(), two.toString(), "--out", merged.toString());
        assertThat(m.status()).as(m.err()).isZero();
        assertThat(itemFolders(merged)).hasSize(ITEMS);
        assertThat(withoutTiming(summary(merged))).isEqualTo(withoutTiming(summary(whole)));
        assertThat(m.out()).contains("7 of 7 items evaluated");
    }

    @Test
    void aKilledRunResumesWithNothingLostOrDuplicated() throws Exception {
        Path whole = dir.resolve("whole");
        assertThat(run(args(manifest, whole)).status()).isZero();

        Path out = dir.resolve("killed");
        Process p = child(args(manifest, out), dir.resolve("killed.log"), 60);
        Path items = out.resolve("items");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive() && finishedItems(items) == 0) {
            Thread.sleep(10);
        }
        assertThat(p.isAlive()).as("the run ended before it could be killed: " + Files.readString(dir.resolve("killed.log")))
                .isTrue();
        p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no clean-up
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int finished = finishedItems(items);
        assertThat(finished).isBetween(1, ITEMS - 1);
        assertThat(out.resolve("summary.json")).doesNotExist();

        ExplainCommandTest.Result r = run(args(manifest, out));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains(finished + " already done");
        assertThat(itemFolders(out)).containsExactly("fooled", "never", "red-0", "red-1", "red-2", "red-3", "red-4");
        assertThat(withoutTiming(summary(out))).isEqualTo(withoutTiming(summary(whole)));
    }

    static int finishedItems(Path items) throws IOException {
        if (!Files.isDirectory(items)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(items)) {
            return (int) s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    @Test
    void halfWrittenItemsAreRedone() throws IOException {
        Path out = dir.resolve("out");
        assertThat(run(args(manifest, out, "--shard", "1/3")).status()).isZero();
        ObjectNode before = summary(out);
        // a staging folder left by a kill, and an item folder that lost its result
        Path staging = Files.createDirectories(out.resolve("items/.red-1.partial-12345"));
        Files.writeString(staging.resolve("explanation.json"), "{\"half\":");
        Files.delete(out.resolve("items/red-0/result.json"));
        ExplainCommandTest.Result r = run(args(manifest, out));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("2 unfinished removed");
        assertThat(itemFolders(out)).containsExactly("fooled", "never", "red-0", "red-1", "red-2", "red-3", "red-4");
        assertThat(out.resolve("items/red-0/result.json")).exists();
        assertThat(before.get("evaluated").asInt()).isEqualTo(3);
        assertThat(summary(out).get("evaluated").asInt()).isEqualTo(ITEMS);
    }

    @Test
    void otherSettingsAreNotMixedIntoAnEarlierRun() throws IOException {
        Path out = dir.resolve("out");
        assertThat(run(args(manifest, out, "--shard", "1/7")).status()).isZero();
        List<String> other = new ArrayList<>(args(manifest, out));
        other.set(other.indexOf("4x4"), "2x4");
        ExplainCommandTest.Result r = run(other);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("other settings", "regions");
    }

    @Test
    void badManifestsNameTheLine() throws IOException {
        Path bad = Files.write(dir.resolve("data/bad.jsonl"), List.of(
                "{\"image\": \"red-0.png\", \"prompt\": \"Describe.\"}", "", "{\"image\": \"nope.png\", \"prompt\": \"x\"}"));
        ExplainCommandTest.Result r = run(args(bad, dir.resolve("o1")));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("line 3", "nope.png");
        Path typo = Files.write(dir.resolve("data/typo.jsonl"), List.of("{\"image\": \"red-0.png\", \"promt\": \"x\"}"));
        assertThat(run(args(typo, dir.resolve("o2"))).err()).contains("line 1", "promt");
        assertThat(run(args(manifest, dir.resolve("o3"), "--shard", "3/2")).err()).contains("--shard");
        assertThat(run(List.of("evaluate", "--manifest", manifest.toString(), "--out", dir.resolve("o4").toString(),
                "--compare", "saliency")).err()).contains("--compare", "saliency");
        assertThat(dir.resolve("o1")).doesNotExist();
    }

    @Test
    void tableAndJsonIgnoreTheDefaultLocale() throws IOException {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            ExplainCommandTest.Result r = run(args(manifest, dir.resolve("de"), "--shard", "6/7"));
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).containsPattern("eagle +1 +0\\.\\d{4}").doesNotContainPattern("\\d,\\d{4}");
            assertThat(Files.readString(dir.resolve("de/summary.json"))).doesNotContainPattern("\\d,\\d{4}");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void javaClassPathIsUsableForAChildJvm() {
        // the kill test starts the CLI in a separate JVM with this class path
        assertThat(System.getProperty("java.class.path").split(File.pathSeparator)).isNotEmpty();
    }
}
