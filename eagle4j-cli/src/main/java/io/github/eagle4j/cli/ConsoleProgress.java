package io.github.eagle4j.cli;

import io.github.eagle4j.ProgressListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders search progress: a progress bar with ETA on a terminal, a plain log line every tenth of the
 * work otherwise (so logs of batch jobs stay readable).
 */
final class ConsoleProgress implements ProgressListener {
    private static final int BAR_WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal;
    private final String label;
    private final long startNanos = System.nanoTime();
    private int lastDecile = -1;

    ConsoleProgress(PrintWriter err, boolean terminal, String label) {
        this.err = err;
        this.terminal = terminal;
        this.label = label;
    }

    /** True when standard error is an interactive terminal. */
    static boolean isTerminal() {
        return System.console() != null && System.getenv("EAGLE4J_PLAIN_PROGRESS") == null;
    }

    @Override
    public void onProgress(int placed, int total, long imagesScored) {
        double fraction = total == 0 ? 1 : (double) placed / total;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        if (terminal) {
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            String eta = fraction > 0 && placed < total ? clock(elapsed * (1 - fraction) / fraction) : "-";
            err.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d regions, %d images, %s, ETA %s ", label,
                    "#".repeat(filled), " ".repeat(BAR_WIDTH - filled), placed, total, imagesScored,
                    clock(elapsed), eta));
            if (placed >= total) {
                err.println();
            }
            err.flush();
        } else {
            int decile = (int) Math.floor(fraction * 10);
            if (decile != lastDecile) {
                lastDecile = decile;
                err.println(String.format(Locale.ROOT, "%s: %d/%d regions placed, %d images scored, %.1f s",
                        label, placed, total, imagesScored, elapsed));
                err.flush();
            }
        }
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
