package io.github.eagle4j.search;

import java.util.BitSet;
import java.util.List;

/**
 * What a search sees of the model: the per-target probabilities of images in which only some regions are
 * visible. The insertion image of a set S keeps S; its deletion image keeps the complement V∖S
 * (docs/method.md §3). One call is one batch: a search sends all images of a step together.
 */
public interface KeptRegionsScorer {
    /** N, the number of regions. */
    int regionCount();

    /** T, the number of target tokens (columns of every score row). */
    int targetCount();

    /**
     * Scores one image per entry, each showing only the regions set in that entry.
     *
     * @return {@code [entries][targets]} probabilities
     */
    double[][] scoreKept(List<BitSet> keptRegions);
}
