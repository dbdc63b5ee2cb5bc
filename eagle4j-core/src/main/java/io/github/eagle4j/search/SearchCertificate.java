package io.github.eagle4j.search;

/**
 * What a search can vouch for about its own order, in one vocabulary for every search (docs/search.md).
 *
 * <p>A step is <em>verified</em> when its region was the best of a full scoring of every candidate left at
 * that step (against the search's own earlier choices), the guarantee full greedy gives at every step. A step is
 * <em>searched</em> when its region won a comparison of freshly scored candidates, a full scoring or a window
 * of them; the rest of the order was placed without scoring candidates against the set before them, as
 * {@link #tailOrder()} says.
 *
 * @param stepsVerified  steps placed after a full scoring of the remaining candidates
 * @param stepsSearched  steps placed by comparing freshly scored candidates (verified steps included)
 * @param tailOrder      how the steps that were not searched were ordered: {@code none} (every step was searched),
 *                       {@code last-ranking} (the values of one full scoring, early stop of full greedy),
 *                       {@code stale-gains} (each candidate's latest evaluated gain), {@code surrogate}
 *                       (greedy on the predictions of a surrogate of the model, fast search), {@code back-end}
 *                       (grown from the least important end, efficient search), or for a baseline method its
 *                       name (the whole order comes from its scores)
 * @param budget         images the search was allowed, or {@code -1} without a budget
 * @param verification   the sampled re-check of steps ({@code --verify-steps}), or {@code null} when none was asked
 */
public record SearchCertificate(int stepsVerified, int stepsSearched, String tailOrder, long budget,
                                StepVerification verification) {
    /** Every step searched, nothing ordered otherwise. */
    public static final String TAIL_NONE = "none";
    /** The rest kept the ranking of the last full scoring. */
    public static final String TAIL_LAST_RANKING = "last-ranking";
    /** The rest ordered by each candidate's latest evaluated gain. */
    public static final String TAIL_STALE_GAINS = "stale-gains";
    /**
     * The rest ordered by greedy on the predictions of a surrogate fitted on every image the search scored (fast
     * search).
     */
    public static final String TAIL_SURROGATE = "surrogate";
    /** The unimportant end grown from the back (efficient search). */
    public static final String TAIL_BACK_END = "back-end";

    public SearchCertificate {
        if (stepsVerified < 0 || stepsSearched < stepsVerified) {
            throw new IllegalArgumentException("steps verified (" + stepsVerified + ") must be in 0..steps searched ("
                    + stepsSearched + ")");
        }
    }

    /** The same certificate with a verification attached. */
    public SearchCertificate withVerification(StepVerification v) {
        return new SearchCertificate(stepsVerified, stepsSearched, tailOrder, budget, v);
    }
}
