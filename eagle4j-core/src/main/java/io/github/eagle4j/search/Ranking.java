package io.github.eagle4j.search;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The one tie rule of every search (docs/method.md §16.5): larger value first, then lower region id, with exact
 * double comparisons so results are reproducible.
 */
final class Ranking {
    private Ranking() {
    }

    /** True when (value a, id a) ranks before (value b, id b). */
    static boolean before(double valueA, int idA, double valueB, int idB) {
        int c = Double.compare(valueB, valueA);
        return c < 0 || (c == 0 && idA < idB);
    }

    /** Index into {@code ids} of the best (value, id); {@code values[i]} belongs to {@code ids[i]}. */
    static int best(int[] ids, double[] values) {
        int best = 0;
        for (int i = 1; i < ids.length; i++) {
            if (before(values[i], ids[i], values[best], ids[best])) {
                best = i;
            }
        }
        return best;
    }

    /** {@code ids} reordered by value descending, then id ascending; {@code values[i]} belongs to {@code ids[i]}. */
    static int[] sorted(int[] ids, double[] values) {
        Integer[] idx = new Integer[ids.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> values[i]).reversed()
                .thenComparingInt(i -> ids[i]));
        int[] out = new int[ids.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids[idx[i]];
        }
        return out;
    }
}
