package io.github.eagle4j;

import java.util.Locale;

/** The region-ordering search (docs/method.md §5–§7). */
public enum SearchKind {
    /** Full greedy: the paper's search and the reference; N(N+1) images. */
    FULL,
    /** The authors' efficient bidirectional variant (search scope, pending samples, update step). */
    EFFICIENT,
    /** Lazy greedy over a priority queue of stale gains; exact only where the objective is submodular. */
    LAZY,
    /** eagle4j's fast search: step 1 in full, then windows of the best latest gains, the tail by latest gains. */
    FAST;

    /** The lower-case name used on the command line and in JSON. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
