package io.github.eagle4j.cli;

import io.github.eagle4j.ProgressListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a countable task (answers re-generated, items evaluated): a bar with ETA on a terminal, plain log
 * lines otherwise (every tenth of the work, or every unit when {@code everyUnit}).
 */
final class TaskProgress implements ProgressListener {
    private static final int BAR_WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal;
    private final String label;
    private final String unit;
    private final boolean everyUnit;
    private final long startNanos = System.nanoTime();
    private int lastDecile = -1;

    TaskProgress(PrintWriter err, boolean terminal, String label, String unit, boolean everyUnit) {
        this.err = err;
        this.terminal = terminal;
        this.label = label;
        this.unit = unit;
        this.everyUnit = everyUnit;
    }

    @Override
    public void onProgress(int done, int total, long ignored) {
        update(done, total, done, total, "");
    }

    /**
     * Reports {@code done} of {@code total}; the ETA is extrapolated from the {@code doneHere} of {@code totalHere}
     * units this run did itself (a resumed run skips finished units; a fraction counts a unit in progress).
     */
    void update(int done, int total, double doneHere, int totalHere, String detail) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double fractionHere = totalHere == 0 ? 1 : (double) doneHere / totalHere;
        String eta = doneHere > 0 && doneHere < totalHere ? clock(elapsed * (1 - fractionHere) / fractionHere) : "-";
        if (terminal) {
            double fraction = total == 0 ? 1 : (double) done / total;
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            err.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d %s, %s, ETA %s %s\033[K", label, "#".repeat(filled),
                    " ".repeat(BAR_WIDTH - filled), done, total, unit, clock(elapsed), eta, detail));
            if (done >= total) {
                err.println();
            }
            err.flush();
            return;
        }
        int decile = total == 0 ? 10 : (int) Math.floor(10.0 * done / total);
        if (everyUnit || decile != lastDecile) {
            lastDecile = decile;
            err.println(String.format(Locale.ROOT, "%s: %d/%d %s, %s elapsed, ETA %s%s", label, done, total, unit,
                    clock(elapsed), eta, detail.isEmpty() ? "" : " " + detail.strip()));
            err.flush();
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
