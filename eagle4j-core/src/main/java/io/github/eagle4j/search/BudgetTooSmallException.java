package io.github.eagle4j.search;

/** A search refused its image budget because it cannot keep it; the message names the smallest budget it can. */
public final class BudgetTooSmallException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the budget, the search and the smallest budget it accepts */
    public BudgetTooSmallException(String message) {
        super(message);
    }
}
