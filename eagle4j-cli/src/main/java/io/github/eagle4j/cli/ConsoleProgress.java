package io.github.eagle4j.cli;

import io.github.eagle4j.ProgressListener;

import java.util.Locale;

/**
 * Draws a search's progress on the {@link ProgressLine}: regions placed, images scored of those planned
 * ({@link ImagePlan}), elapsed time and an ETA from the images; cleared when the search ends. Nothing when the line
 * is disabled (stderr redirected): a log file gets no progress.
 */
final class ConsoleProgress implements ProgressListener {
    private static final int BAR_WIDTH = 20;
    private final ProgressLine line;
    private final String label;
    private final ImagePlan plan;
    private final long startNanos = System.nanoTime();

    ConsoleProgress(ProgressLine line, String label, ImagePlan plan) {
        this.line = line;
        this.label = label;
        this.plan = plan;
    }

    @Override
    public void onProgress(int placed, int total, long imagesScored) {
        if (!line.enabled()) {
            return;
        }
        if (placed >= total) {
            line.clear();
            return;
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double fraction = plan.images() > 0 ? Math.min(1, (double) imagesScored / plan.images())
                : total == 0 ? 1 : (double) placed / total;
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double left = plan.secondsLeft(elapsed, imagesScored, placed, total);
        line.show(String.format(Locale.ROOT, "%s [%s%s] %d/%d regions, %d/%s images, %s, ETA %s", label,
                "#".repeat(filled), " ".repeat(BAR_WIDTH - filled), placed, total, imagesScored, plan.label(),
                TaskProgress.clock(elapsed), left < 0 ? "-" : TaskProgress.clock(left)));
    }
}
