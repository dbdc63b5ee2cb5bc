package io.github.eagle4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard error is an interactive terminal, the only place a progress line belongs. Java 17 can tell only
 * whether stdin and stdout both are ({@link System#console()}), which is wrong both ways for stderr (a redirected
 * stdout hides a terminal stderr; a redirected stderr behind a terminal stdout would get control characters). On
 * Linux {@code /proc/self/fd/2} names what stderr is; elsewhere {@link System#console()} is the fallback.
 */
final class StderrTerminal {
    private static final Path STDERR = Path.of("/proc/self/fd/2");

    private StderrTerminal() {
    }

    /** True when standard error is a terminal device. */
    static boolean isTerminal() {
        if (Files.isDirectory(STDERR.getParent())) {
            try {
                return isTerminalDevice(Files.readSymbolicLink(STDERR).toString());
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return false;
            }
        }
        return System.console() != null;
    }

    /** True for the name of a terminal device: a pseudo-terminal ({@code /dev/pts/N}), a console or a serial tty. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
