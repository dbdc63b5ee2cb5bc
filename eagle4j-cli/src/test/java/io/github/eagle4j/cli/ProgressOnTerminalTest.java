package io.github.eagle4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The progress line appears on stderr when stderr is a terminal and nowhere else. A real pseudo-terminal comes from
 * util-linux's {@code script}, which runs the real {@code eagle} in a child JVM with the pty as its terminal; the
 * shell inside redirects stdout or stderr to a file.
 */
class ProgressOnTerminalTest {
    private static final Path SCRIPT = Path.of("/usr/bin/script");

    @TempDir
    Path dir;

    /** What the pty showed, and what went to the redirected file. */
    private record Run(int status, String terminal, String file) {
    }

    /**
     * Runs {@code eagle explain} on the red-square test model under {@code script}, with {@code redirect} ("&gt;" for
     * stdout, "2&gt;" for stderr) into a file.
     */
    private Run explain(String redirect, String... extra) throws Exception {
        assumeTrue(Files.isExecutable(SCRIPT), "util-linux script is needed for a pseudo-terminal");
        Path image = ExplainCommandTest.redSquareImage(dir);
        Path file = dir.resolve("redirected.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EagleCli.class.getName(), "explain", "--model",
                "test:red-square", "--image", image.toString(), "--prompt", "Describe the image.", "--grid", "4x4",
                "--out", dir.resolve("out").toString()));
        cmd.addAll(List.of(extra));
        StringBuilder line = new StringBuilder();
        for (String word : cmd) {
            line.append('\'').append(word.replace("'", "'\\''")).append("' ");
        }
        line.append(redirect).append(' ').append('\'').append(file).append('\'');
        Path terminal = dir.resolve("terminal.txt");
        Process p = new ProcessBuilder(SCRIPT.toString(), "-qfec", line.toString(), "/dev/null")
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true).redirectOutput(terminal.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("eagle under script finished").isTrue();
        return new Run(p.exitValue(), read(terminal), read(file));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private String reportLine() {
        return "report: " + dir.resolve("out").resolve("report.html");
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines[lines.length - 1];
    }

    @Test
    void aTerminalStderrShowsTheProgressLineAndStdoutStaysClean() throws Exception {
        Run r = explain(">");
        assertThat(r.status()).as(r.terminal()).isZero();
        // on the terminal: the line redrawn in place with images planned (full greedy on 16 regions: 272) and an ETA
        assertThat(r.terminal()).contains("\rexplain [", " regions, ", "/272 images, ", "ETA ");
        // cleared at the end: the last thing drawn is blanks over the line, then the start of the line
        assertThat(r.terminal().stripTrailing()).doesNotEndWith("ETA");
        assertThat(r.file()).doesNotContain("\r", "ETA", "regions, ");
        assertThat(lastLine(r.file())).isEqualTo(reportLine());
    }

    @Test
    void aRedirectedStderrGetsNoProgress() throws Exception {
        Run r = explain("2>");
        assertThat(r.status()).as(r.file()).isZero();
        assertThat(r.file()).doesNotContain("\r", "ETA", "[#");
        assertThat(r.terminal()).doesNotContain("ETA");
        assertThat(lastLine(r.terminal())).isEqualTo(reportLine());
    }

    @Test
    void noProgressTurnsItOffOnATerminalAndProgressForcesItIntoAFile() throws Exception {
        Run off = explain(">", "--no-progress");
        assertThat(off.status()).as(off.terminal()).isZero();
        assertThat(off.terminal()).doesNotContain("ETA");
        Run on = explain("2>", "--progress");
        assertThat(on.status()).as(on.file()).isZero();
        assertThat(on.file()).contains("\rexplain [", "ETA ");
    }

    @Test
    void terminalDevicesAreToldFromFilesAndPipes() {
        assertThat(StderrTerminal.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("/tmp/err.log")).isFalse();
        assertThat(StderrTerminal.isTerminalDevice("pipe:[12345]")).isFalse();
        assertThat(StderrTerminal.isTerminalDevice("/dev/null")).isFalse();
    }
}
