package io.github.eagle4j.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How runs end when they do not end well: interrupted by SIGINT or SIGTERM (no hidden staging folder left, stale ones
 * of killed runs removed), out of memory (one line with the heap advice, no stack trace), and text from models and
 * files that would act on a terminal or a page (shown as escapes instead). Child JVMs run the real {@code eagle}.
 */
class ExitPathsTest {
    @TempDir
    Path dir;

    private Process start(Path log, Map<String, String> env, List<String> jvm, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EagleCli.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private List<String> staging(String out) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("." + out + ".partial-")).sorted().toList();
        }
    }

    /** Starts a slow explanation, waits until its staging folder exists, sends {@code signal}, waits for the end. */
    private void interrupt(String signal) throws Exception {
        Path image = ExplainCommandTest.redSquareImage(dir);
        String out = "out-" + signal;
        Path log = dir.resolve(signal + ".log");
        Process p = start(log, Map.of("EAGLE4J_TEST_SCORE_DELAY_MS", "200"), List.of(), "explain", "--model", "toy:yes-no",
                "--image", image.toString(), "--prompt", "Describe the image.", "--grid", "4x4", "--out",
                dir.resolve(out).toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive() && staging(out).isEmpty()) {
            Thread.sleep(5);
        }
        Thread.sleep(300); // into the search
        assertThat(p.isAlive()).as("the run ended before the signal: " + Files.readString(log)).isTrue();
        assertThat(staging(out)).hasSize(1);
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // a process started in the background by a non-interactive shell inherits SIGINT as ignored, and the JVM then
        // installs no handler for it: the run completes and publishes; nothing to test there
        Assumptions.assumeFalse(p.exitValue() == 0 && Files.exists(dir.resolve(out)),
                "SIG" + signal + " is ignored in this environment (inherited), so the run completed");
        assertThat(staging(out)).as(Files.readString(log)).isEmpty();
        assertThat(dir.resolve(out)).doesNotExist();
    }

    @Test
    void sigtermLeavesNoStagingFolder() throws Exception {
        interrupt("TERM");
    }

    @Test
    void sigintLeavesNoStagingFolder() throws Exception {
        interrupt("INT");
    }

    @Test
    void stagingFoldersOfKilledRunsAreRemovedByTheNextRun() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = OutputFolder.host();
        Path stale = Files.createDirectories(dir.resolve(".out.partial-" + gone.pid() + "-" + host + "-123"));
        Files.writeString(stale.resolve("overlay.png"), "partial");
        Path live = Files.createDirectories(dir.resolve(".out.partial-" + ProcessHandle.current().pid() + "-" + host + "-456"));
        Path otherHost = Files.createDirectories(dir.resolve(".out.partial-" + gone.pid() + "-elsewhere.example-789"));
        Path legacy = Files.createDirectories(dir.resolve(".out.partial-8812345678"));
        Path image = ExplainCommandTest.redSquareImage(dir);
        ExplainCommandTest.Result r = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--grid", "2x2", "--out", dir.resolve("out").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(otherHost).exists();
        assertThat(legacy).exists();
        assertThat(staging("out")).hasSize(3);
    }

    @Test
    void outOfMemoryIsOneLineWithTheHeapAdvice() throws Exception {
        // 4000x4000 grey: 16 MB decoded, 64 MB as RGB, more than a 32 MB heap holds
        BufferedImage big = new BufferedImage(4000, 4000, BufferedImage.TYPE_BYTE_GRAY);
        Path image = dir.resolve("big.png");
        ImageIO.write(big, "png", image.toFile());
        Path log = dir.resolve("oom.log");
        Process p = start(log, Map.of(), List.of("-Xmx32m"), "explain", "--model", "test:red-square", "--image",
                image.toString(), "--prompt", "Describe the image.", "--out", dir.resolve("oom").toString());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isEqualTo(EagleCli.EXIT_FAILURE);
        assertThat(text.strip().lines()).as(text).hasSize(1);
        assertThat(text).contains("out of memory").contains("-Xmx").contains("EAGLE4J_JAVA_OPTS")
                .doesNotContain("\tat ").doesNotContain("Exception in thread");
    }

    @Test
    void controlAndBidiCharactersFromTheAnswerAreShownNotSent() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        Path out = dir.resolve("odd");
        String answer = "a red\u001B[2J square \u202Eerauqs .\u0000";
        ExplainCommandTest.Result r = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--answer", answer, "--grid", "2x2", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        for (String printed : List.of(r.out(), r.err())) {
            assertThat(printed).doesNotContain("\u001B").doesNotContain("\u202E").doesNotContain("\u0000");
        }
        assertThat(r.out()).contains("a red\\u001b[2J square \\u202eerauqs .\\u0000");
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("\u202E").doesNotContain("\u001B").contains("\\u202e");
        // explanation.json keeps the answer as given: it is data, not display
        assertThat(Files.readString(out.resolve("explanation.json"), StandardCharsets.UTF_8)).contains("\\u001B[2J");
    }

    @Test
    void errorMessagesShowControlCharactersOfFileNamesAsEscapes() {
        ExplainCommandTest.Result r = eagle("explain", "--model", "test:red-square", "--image",
                dir.resolve("x\u001B]0;owned\u0007.png").toString(), "--prompt", "p", "--out", dir.resolve("o").toString());
        assertThat(r.status()).isEqualTo(EagleCli.EXIT_BAD_INPUT);
        assertThat(r.err()).doesNotContain("\u001B").doesNotContain("\u0007").contains("\\u001b]0;owned\\u0007.png")
                .contains("does not exist");
    }
}
