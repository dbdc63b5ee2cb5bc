package io.github.eagle4j.evaluation.dataset;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives the progress of a data-set evaluation; the library never prints. Every method has an empty default, so
 * a listener overrides only what it shows. Calls come from the thread that runs the evaluation.
 */
public interface EvaluationListener {
    /** A listener that ignores everything. */
    EvaluationListener NONE = new EvaluationListener() {
    };

    /**
     * The run knows its work: called once, before the model is opened.
     *
     * @param items      items of this run (its shard)
     * @param done       items finished by earlier runs
     * @param leftovers  unfinished leftovers of earlier runs that were deleted (to be redone)
     * @param toGo       items this run evaluates
     */
    default void started(int items, int done, int leftovers, int toGo) {
    }

    /** A step of an item's search (as {@link io.github.eagle4j.ProgressListener}). */
    default void itemProgress(Manifest.Item item, int regionsPlaced, int regionCount, long imagesScored) {
    }

    /**
     * An item is finished and published.
     *
     * @param result its {@code result.json}
     * @param done   items of the run finished so far, earlier runs' included
     * @param items  items of the run
     */
    default void itemFinished(Manifest.Item item, JsonNode result, int done, int items) {
    }

    /** An item was skipped as bad ({@link EvaluationConfig#skipBadItems()}); {@code reason} is one line. */
    default void itemSkipped(Manifest.Item item, String reason) {
    }

    /** A line worth showing, e.g. a paid backend's cost estimate. */
    default void note(String line) {
    }

    /** A merge copied {@code imported} item folders into its output. */
    default void merged(int imported) {
    }
}
