package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.github.eagle4j.cli.EvaluateCommandTest.ITEMS;
import static io.github.eagle4j.cli.EvaluateCommandTest.args;
import static io.github.eagle4j.cli.EvaluateCommandTest.itemFolders;
import static io.github.eagle4j.cli.EvaluateCommandTest.run;
import static io.github.eagle4j.cli.EvaluateCommandTest.summary;
import static io.github.eagle4j.cli.EvaluateCommandTest.withoutTiming;
import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eagle evaluate} never mixes or loses results: runs are tied to the model's content, precision and
 * backend; one run at a time per folder; corrupt items are redone; bad items stop the run or are recorded; and
 * shard runs killed with SIGKILL at random moments resume and merge to the summary of an uninterrupted run.
 */
class EvaluateReliabilityTest {
    @TempDir
    Path dir;
    Path manifest;

    @BeforeEach
    void writeManifest() throws IOException {
        manifest = EvaluateCommandTest.writeManifest(dir);
    }

    /** A copy of the bundled model's folder at {@code parent/name}. */
    private static Path copyModel(Path parent, String name) throws IOException {
        Path from = Path.of("..", "models", "tiny-shapes-llava");
        Path to = parent.resolve(name);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    /** Evaluate with a model folder on a shard without items: settings are checked and written, no model runs. */
    private ExplainCommandTest.Result noItems(Path model, Path out, String... extra) throws IOException {
        Path one = Files.writeString(dir.resolve("data/one.jsonl"),
                "{\"id\": \"a\", \"image\": \"red-0.png\", \"prompt\": \"Describe the image.\"}\n");
        List<String> a = new ArrayList<>(List.of("evaluate", "--model", model.toString(), "--manifest", one.toString(),
                "--out", out.toString(), "--shard", "2/2"));
        a.addAll(List.of(extra));
        return eagle(a.toArray(String[]::new));
    }

    @Test
    void aResumeOrMergeWithAnotherModelPrecisionOrBackendIsRefused() throws IOException {
        Path model = copyModel(dir.resolve("a"), "m");
        Path samePlacedElsewhere = copyModel(dir.resolve("b"), "m");
        Path sameNameOtherFiles = copyModel(dir.resolve("c"), "m");
        Files.writeString(sameNameOtherFiles.resolve("config.json"), " ", java.nio.file.StandardOpenOption.APPEND);
        Path out = dir.resolve("out");
        ExplainCommandTest.Result first = noItems(model, out);
        assertThat(first.status()).as(first.err()).isZero();
        // the same files at another path: the same model
        assertThat(noItems(samePlacedElsewhere, out).status()).isZero();
        ExplainCommandTest.Result other = noItems(sameNameOtherFiles, out);
        assertThat(other.status()).isEqualTo(2);
        assertThat(other.err()).contains("other settings", "modelDigest").doesNotContain("\tat ");
        assertThat(other.err().strip().lines()).hasSize(1);
        ExplainCommandTest.Result fp16 = noItems(model, out, "--dtype", "fp16");
        assertThat(fp16.status()).isEqualTo(2);
        assertThat(fp16.err()).contains("other settings", "dtype");
        ExplainCommandTest.Result backend = noItems(model, out, "--backend", "onnx");
        assertThat(backend.status()).isEqualTo(2);
        assertThat(backend.err()).contains("backend");

        // --merge checks the same
        Path half = dir.resolve("half");
        assertThat(noItems(model, half, "--dtype", "fp16").status()).isZero();
        ExplainCommandTest.Result merged = eagle("evaluate", "--merge", out.toString(), half.toString(), "--out",
                dir.resolve("merged").toString());
        assertThat(merged.status()).isEqualTo(2);
        assertThat(merged.err()).contains("other settings", "dtype");
    }

    @Test
    void aSecondRunOnTheSameFolderIsRefusedAndAStaleLockIsTakenOver() throws Exception {
        Path out = dir.resolve("out");
        assertThat(run(args(manifest, out, "--shard", "1/7")).status()).isZero();
        assertThat(out.resolve("evaluate.lock")).doesNotExist();
        String host = InetAddress.getLocalHost().getHostName();

        // a live owner (this JVM stands in for another run)
        Files.writeString(out.resolve("evaluate.lock"), "pid=" + ProcessHandle.current().pid() + "\nhost=" + host + "\n");
        ExplainCommandTest.Result busy = run(args(manifest, out));
        assertThat(busy.status()).isEqualTo(2);
        assertThat(busy.err()).contains("in use", "pid " + ProcessHandle.current().pid(), host).doesNotContain("\tat ");
        assertThat(busy.err().strip().lines()).hasSize(1);
        assertThat(eagle("evaluate", "--merge", out.toString(), "--out", out.toString()).err()).contains("in use");
        assertThat(itemFolders(out)).containsExactly("red-0");

        // an owner that died on this host: its lock is stale and taken over
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(gone.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Files.writeString(out.resolve("evaluate.lock"), "pid=" + gone.pid() + "\nhost=" + host + "\n");
        ExplainCommandTest.Result resumed = run(args(manifest, out));
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(summary(out).get("complete").asBoolean()).isTrue();
        assertThat(out.resolve("evaluate.lock")).doesNotExist();
    }

    @Test
    void aRunWhileAnotherWorksOnTheFolderIsRefusedAndTheFirstFinishes() throws Exception {
        Path out = dir.resolve("out");
        Process first = EvaluateCommandTest.child(args(manifest, out, "--shard", "1/3"), dir.resolve("first.log"), 20);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && first.isAlive() && !Files.exists(out.resolve("evaluate.lock"))) {
            Thread.sleep(10);
        }
        assertThat(first.isAlive()).as("the first run ended before the second started").isTrue();
        ExplainCommandTest.Result second = run(args(manifest, out, "--shard", "2/3"));
        assertThat(second.status()).isEqualTo(2);
        assertThat(second.err()).contains("in use", "pid " + first.pid());
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(Files.readString(dir.resolve("first.log"))).isZero();
        assertThat(summary(out).get("evaluated").asInt()).isEqualTo(3);
    }

    @Test
    void corruptResultsAreRedoneOnResume() throws IOException {
        Path whole = dir.resolve("whole");
        assertThat(run(args(manifest, whole)).status()).isZero();
        Path out = dir.resolve("out");
        assertThat(run(args(manifest, out)).status()).isZero();
        Files.writeString(out.resolve("items/red-0/result.json"), "{\"id\": \"red-0\", \"methods\": {\"eag");
        Files.writeString(out.resolve("items/red-1/result.json"), "{}");
        ObjectNode r2 = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("items/fooled/result.json").toFile());
        ((ObjectNode) r2.get("methods")).remove("occlusion");
        Files.writeString(out.resolve("items/fooled/result.json"), r2.toString());
        ExplainCommandTest.Result r = run(args(manifest, out));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("4 already done", "3 unfinished removed", "3 to go");
        assertThat(withoutTiming(summary(out))).isEqualTo(withoutTiming(summary(whole)));
    }

    @Test
    void aBadItemStopsTheRunUnlessSkippedAndIsNeverCountedComplete() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(manifest));
        // line 2: the answer has no 'blue'
        lines.set(1, lines.get(1).replace("\"targets\": \"red\"", "\"targets\": \"blue\""));
        Path bad = Files.write(dir.resolve("data/bad-item.jsonl"), lines);
        Path out = dir.resolve("out");
        ExplainCommandTest.Result stopped = run(args(bad, out));
        assertThat(stopped.status()).isEqualTo(2);
        assertThat(stopped.err()).contains("line 2", "red-1", "blue").doesNotContain("\tat ");
        assertThat(itemFolders(out)).containsExactly("red-0"); // finished items are kept
        assertThat(out.resolve("summary.json")).doesNotExist();

        ExplainCommandTest.Result skipped = run(args(bad, out, "--skip-bad-items"));
        assertThat(skipped.status()).as(skipped.err()).isZero();
        assertThat(skipped.out()).contains("bad items skipped: 1", "incomplete: 1 item(s) missing");
        ObjectNode s = summary(out);
        assertThat(s.get("complete").asBoolean()).isFalse();
        assertThat(s.get("evaluated").asInt()).isEqualTo(ITEMS - 1);
        assertThat(s.get("missing").toString()).isEqualTo("[\"red-1\"]");
        JsonNode b = s.get("badItems").get(0);
        assertThat(b.get("id").asText()).isEqualTo("red-1");
        assertThat(b.get("line").asInt()).isEqualTo(2);
        assertThat(b.get("error").asText()).contains("line 2", "blue");
        assertThat(s.get("badItems")).hasSize(1);

        // the help says what happens without the option
        assertThat(eagle("evaluate", "--help").out()).contains("--skip-bad-items", "stops the run");
    }

    /**
     * Two shard runs, each killed with SIGKILL at several random moments (then resumed in a fresh process), and the
     * merge of the two: the summary of the uninterrupted run. The moments come from a seeded generator; the seed is
     * in the failure message.
     */
    @Test
    void shardRunsKilledAtRandomMomentsResumeAndMergeToTheUninterruptedSummary() throws Exception {
        Path whole = dir.resolve("whole");
        assertThat(run(args(manifest, whole)).status()).isZero();
        long seed = Long.getLong("eagle4j.killSeed", System.nanoTime());
        Random random = new Random(seed);
        List<Path> parts = new ArrayList<>();
        StringBuilder story = new StringBuilder("seed " + seed + ":");
        for (String shard : List.of("1/2", "2/2")) {
            Path out = dir.resolve("shard" + shard.charAt(0));
            parts.add(out);
            int items = shard.equals("1/2") ? 4 : 3; // indices 0, 2, 4, 6 and 1, 3, 5
            for (int kill = 0; kill < 3; kill++) {
                Path log = dir.resolve("kill-" + shard.charAt(0) + "-" + kill + ".log");
                int done = EvaluateCommandTest.finishedItems(out.resolve("items"));
                // a random moment: after a random number of further items, then a random pause (inside an item's
                // search, between its files, at its publishing rename, or between items)
                int after = done + random.nextInt(items - done);
                long wait = random.nextInt(400);
                Process p = EvaluateCommandTest.child(args(manifest, out, "--shard", shard), log, 15);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (System.nanoTime() < deadline && p.isAlive()
                        && (!Files.exists(out.resolve("evaluate.lock"))
                        || EvaluateCommandTest.finishedItems(out.resolve("items")) < after)) {
                    Thread.sleep(5);
                }
                Thread.sleep(wait);
                p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no clean-up
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                story.append(String.format(java.util.Locale.ROOT, " %s killed %d ms after item %d (%d done);", shard,
                        wait, after, EvaluateCommandTest.finishedItems(out.resolve("items"))));
            }
            ExplainCommandTest.Result r = run(args(manifest, out, "--shard", shard));
            assertThat(r.status()).as(story + r.err()).isZero();
            assertThat(summary(out).get("complete").asBoolean()).isFalse(); // a shard is never the whole run
        }
        Path merged = dir.resolve("merged");
        ExplainCommandTest.Result m = eagle("evaluate", "--merge", parts.get(0).toString(), parts.get(1).toString(),
                "--out", merged.toString());
        assertThat(m.status()).as(story + m.err()).isZero();
        assertThat(itemFolders(merged)).as(story.toString()).hasSize(ITEMS);
        assertThat(withoutTiming(summary(merged))).as(story.toString()).isEqualTo(withoutTiming(summary(whole)));
        System.out.println(story); // kept in the test's output file, to see where the kills fell
    }

    @Test
    void aTargetOccurrencePastTheLastIsNamedAsSuchWithTheLine() throws IOException {
        Path m = Files.writeString(dir.resolve("data/occurrence.jsonl"), "{\"id\": \"twice\", \"image\": \"red-0.png\", "
                + "\"prompt\": \"Describe the image.\", \"answer\": \"a red square .\", \"targets\": \"red\", "
                + "\"targetOccurrence\": 2}\n");
        ExplainCommandTest.Result r = run(args(m, dir.resolve("out")));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("manifest line 1 (twice)", "'targetOccurrence' 2 is past the last occurrence",
                "occurs 1 time(s)").doesNotContain("is not a word of the answer");
    }
}
