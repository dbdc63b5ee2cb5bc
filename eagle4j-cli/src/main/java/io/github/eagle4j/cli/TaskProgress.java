package io.github.eagle4j.cli;

import io.github.eagle4j.ProgressListener;

import java.util.Locale;

/**
 * Progress of a countable task (answers re-generated, items evaluated) on the {@link ProgressLine}: a bar with ETA
 * when the line is drawn; otherwise, when {@code logLines}, one plain log line per unit (a data set's run log),
 * else nothing.
 */
final class TaskProgress implements ProgressListener {
    private static final int BAR_WIDTH = 20;
    private final ProgressLine line;
    private final String label;
    private final String unit;
    private final boolean logLines;
    private final long startNanos = System.nanoTime();

    TaskProgress(ProgressLine line, String label, String unit, boolean logLines) {
        this.line = line;
        this.label = label;
        this.unit = unit;
        this.logLines = logLines;
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
        double fractionHere = totalHere == 0 ? 1 : doneHere / totalHere;
        String eta = doneHere > 0 && doneHere < totalHere ? clock(elapsed * (1 - fractionHere) / fractionHere) : "-";
        if (line.enabled()) {
            if (done >= total) {
                line.clear();
                return;
            }
            double fraction = total == 0 ? 1 : (double) done / total;
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            line.show(String.format(Locale.ROOT, "%s [%s%s] %d/%d %s, %s, ETA %s %s", label, "#".repeat(filled),
                    " ".repeat(BAR_WIDTH - filled), done, total, unit, clock(elapsed), eta, detail));
        } else if (logLines) {
            line.println(String.format(Locale.ROOT, "%s: %d/%d %s, %s elapsed, ETA %s%s", label, done, total, unit,
                    clock(elapsed), eta, detail.isEmpty() ? "" : " " + detail.strip()));
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
