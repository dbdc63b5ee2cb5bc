package io.github.eagle4j.search;

import io.github.eagle4j.ProgressListener;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/**
 * The per-token searches of {@code --each-token} (docs/search.md, "Every token's own map"): after the joint search,
 * one search per target on that token's probability alone, all reading through one {@link SharedImages}, so an image
 * is scored once for every token.
 *
 * <p>A fast search is taught every image scored before it ({@link FastSearch#withPriorImages}: the joint search's
 * and the earlier tokens'), so its surrogate starts from what is known and it scores no random masks of its own. With
 * a total (the default for the fast search, {@link #defaultTotal}), what is left of it after the joint search is
 * split over the tokens still to search, each token's unused share passing on to the next: token t may score at most
 * {@code left / tokensLeft} new images. Its search gets that many plus the images of its first call already scored
 * (the original, the blank image and the singletons, which the joint search scored), so the total holds by
 * construction. Tokens are searched least moved first ({@link #order}); the traces come back in target order.
 * Deterministic.
 */
public final class TokenSearches {
    /** Default total images of an {@code --each-token} fast explanation, in units of full greedy's N(N+1). */
    public static final double DEFAULT_SHARE = 2.5;
    /** Floor of a token's share, in units of N: the rest's points (2 per region) and a few searched steps. */
    static final int MIN_SHARE_PER_REGION = 4;

    private TokenSearches() {
    }

    /**
     * The default total images of an {@code --each-token} fast explanation of N regions and T targets whose joint
     * search scored {@code jointImages}: {@value #DEFAULT_SHARE}·N(N+1), or enough for every token to get
     * {@value #MIN_SHARE_PER_REGION}·N new images when that is more.
     */
    public static long defaultTotal(int n, int targets, long jointImages) {
        long share = (long) Math.floor(DEFAULT_SHARE * SearchBudget.fullGreedy(n));
        return Math.max(share, jointImages + (long) targets * MIN_SHARE_PER_REGION * n);
    }

    /**
     * Runs every target's search.
     *
     * @param shared   the images scored so far (the joint search's), read and extended by every search
     * @param searches the search for one token, given its budget ({@link SearchBudget#UNLIMITED} for none)
     * @param total    images the whole explanation may score, or {@link SearchBudget#UNLIMITED}: each search then gets
     *                 {@code ownBudget}
     * @param ownBudget each search's budget when there is no total
     * @param listener the progress listener of the k-th search run (k = 0 for the first token searched)
     * @return each target's trace, in target order
     */
    public static List<SearchTrace> run(SharedImages shared, LongFunction<RegionSearch> searches, long total,
                                        long ownBudget, double[] regionAreas, IntFunction<ProgressListener> listener) {
        Objects.requireNonNull(shared, "shared");
        int targets = shared.targetCount();
        int n = shared.regionCount();
        SearchTrace[] traces = new SearchTrace[targets];
        int[] order = order(shared, n);
        for (int k = 0; k < targets; k++) {
            int t = order[k];
            long budget = ownBudget;
            if (total != SearchBudget.UNLIMITED) {
                long left = Math.max(0, total - shared.imagesScored());
                budget = left / (targets - k) + firstCallScored(shared, n);
            }
            RegionSearch search = searches.apply(budget);
            if (search instanceof FastSearch fast) {
                search = fast.withPriorImages(shared.keptSets(), shared.column(t));
            }
            traces[t] = search.search(shared.target(t), regionAreas, listener.apply(k));
        }
        return List.of(traces);
    }

    /**
     * The order the tokens are searched in: by how far the blank image moves their probability from the original's,
     * least first (ties by target order). A token the image barely moves (a function word, the end token) saturates
     * within a few steps, and what it leaves of its share passes on to the tokens the image decides.
     */
    static int[] order(SharedImages shared, int n) {
        int targets = shared.targetCount();
        double[][] ends = shared.scoreKept(List.of(KeptSets.all(n), new BitSet(n)));
        double[] movement = new double[targets];
        int[] ids = new int[targets];
        for (int t = 0; t < targets; t++) {
            ids[t] = t;
            movement[t] = -Math.abs(ends[0][t] - ends[1][t]);
        }
        return Ranking.sorted(ids, movement);
    }

    /** How many of a taught fast search's first call (original, blank, every singleton pair) are scored already. */
    private static long firstCallScored(SharedImages shared, int n) {
        List<BitSet> first = new ArrayList<>(2 * n + 2);
        first.add(KeptSets.all(n));
        first.add(new BitSet(n));
        for (int c = 0; c < n; c++) {
            BitSet one = new BitSet(n);
            one.set(c);
            first.add(one);
            first.add(KeptSets.complement(one, n));
        }
        return shared.countScored(first);
    }
}
