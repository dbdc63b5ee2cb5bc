package io.github.eagle4j.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/**
 * The line on standard error where a command draws its progress, redrawn in place with {@code \r} and cleared with
 * spaces before anything else is printed (escape sequences would be shown as text by {@link VisibleWriter}). Drawn
 * only when enabled: stderr is a terminal ({@link StderrTerminal}), or {@code --progress} forces it;
 * {@code --no-progress} turns it off. Never on stdout.
 */
final class ProgressLine {
    /** Longest progress text: a longer one would wrap, and {@code \r} would return to its last row only. */
    static final int WIDTH = 79;
    private final PrintWriter err;
    private final boolean enabled;
    private int shown;

    ProgressLine(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** The progress line of the command {@code spec}: {@code --progress}/{@code --no-progress}, else the terminal test. */
    static ProgressLine of(CommandSpec spec) {
        Boolean forced = spec.root().userObject() instanceof EagleCli eagle ? eagle.progress : null;
        return new ProgressLine(spec.commandLine().getErr(), forced != null ? forced : StderrTerminal.isTerminal());
    }

    /** Whether progress is drawn. */
    boolean enabled() {
        return enabled;
    }

    /** Draws {@code text} over what the line showed (cut to {@link #WIDTH} characters); nothing when disabled. */
    synchronized void show(String text) {
        if (!enabled) {
            return;
        }
        String t = text.length() > WIDTH ? text.substring(0, WIDTH) : text;
        err.print("\r" + t + " ".repeat(Math.max(0, shown - t.length())));
        err.flush();
        shown = t.length();
    }

    /** Blanks the line and returns to its start, so the next output starts on a clean line. */
    synchronized void clear() {
        if (shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }

    /** Prints a whole line on stderr (a note, a log line), clearing the progress line first; also when disabled. */
    synchronized void println(String line) {
        clear();
        err.println(line);
        err.flush();
    }
}
