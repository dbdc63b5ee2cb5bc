package io.github.eagle4j.search;

/**
 * The image budget of a search ({@code --budget IMAGES}): the most images one search may score. Every search
 * checks what it needs before it starts and refuses a budget it cannot keep with a message that names the
 * smallest budget it can; a budgeted search never scores more than its budget (its scorer refuses the batch).
 */
public final class SearchBudget {
    /** No budget. */
    public static final long UNLIMITED = -1;

    private SearchBudget() {
    }

    /** Full greedy's image count without early stop, N(N+1) (docs/method.md §5). */
    public static long fullGreedy(int n) {
        return (long) n * (n + 1);
    }

    /**
     * @throws IllegalArgumentException when the budget is neither {@link #UNLIMITED} nor at least 1
     */
    static long check(long budget) {
        if (budget != UNLIMITED && budget < 1) {
            throw new IllegalArgumentException("budget must be at least 1 image, got " + budget);
        }
        return budget;
    }

    /** Refuses a budget below {@code smallest} for the search {@code search} of {@code n} regions. */
    static void require(long budget, long smallest, String search, int n, String hint) {
        if (budget != UNLIMITED && budget < smallest) {
            throw new BudgetTooSmallException(" " + budget + " is too small for search '" + search + "'"
                    + " on " + n + " regions: it needs at least " + smallest + " images" + hint);
        }
    }
}
