package io.github.eagle4j.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every help screen of {@code eagle} (the top command, each command and each nested subcommand) prints its usage
 * on stdout, nothing on stderr, and exits 0. picocli reports a description it cannot format (an unescaped
 * {@code %}) as a warning on {@link System#err}, not on the command's error writer, so both are watched.
 */
class HelpScreensTest {
    @Test
    void everyHelpScreenIsCleanAndExitsZero() {
        List<List<String>> paths = new ArrayList<>();
        collect(EagleCli.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).as("commands found").hasSizeGreaterThan(5);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
            PrintStream saved = System.err;
            int status;
            System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
            try {
                status = EagleCli.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
            } finally {
                System.setErr(saved);
            }
            String command = String.join(" ", args);
            assertThat(status).as("exit status of eagle %s", command).isZero();
            assertThat(err.toString()).as("stderr of eagle %s", command).isEmpty();
            assertThat(systemErr.toString(StandardCharsets.UTF_8)).as("System.err during eagle %s", command).isEmpty();
            assertThat(out.toString()).as("stdout of eagle %s", command).contains("Usage: eagle");
        }
    }

    /** Adds the argument path of this command and of every subcommand below it (help's aliases once). */
    private static void collect(CommandLine cmd, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        cmd.getCommandSpec().subcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                List<String> child = new ArrayList<>(path);
                child.add(name);
                collect(sub, child, paths);
            }
        });
    }
}
