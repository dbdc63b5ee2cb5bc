package io.github.eagle4j.evaluation.dataset;

import java.util.Locale;

/**
 * One of {@code count} disjoint parts of a manifest: the items whose 0-based index modulo {@code count} equals
 * {@code index − 1}. Shards run into separate output folders and are combined with {@link DataSetEvaluator#merge}.
 *
 * @param index 1-based shard number, 1 ≤ index ≤ count
 * @param count number of shards, ≥ 1
 */
public record Shard(int index, int count) {
    /** Validates the numbers. */
    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": expected 1 <= index <= count");
        }
    }

    /** {@code index/count}, as written in summaries. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d/%d", index, count);
    }
}
