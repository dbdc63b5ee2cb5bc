package io.github.eagle4j;

/**
 * Receives progress of a running explanation; the library never prints. The CLI renders it as a
 * progress bar or log lines.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = (placed, total, imagesScored) -> { };

    /**
     * Called after each search step.
     *
     * @param regionsPlaced regions whose rank is decided so far
     * @param regionCount   N
     * @param imagesScored  images scored so far (the cost of the method)
     */
    void onProgress(int regionsPlaced, int regionCount, long imagesScored);
}
