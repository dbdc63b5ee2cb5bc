package io.github.eagle4j.search;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.InvalidInputException;

/**
 * A search refused its image budget because it cannot keep it; the message names the budget (as the API input
 * {@link ExplainOptions#BUDGET}), the search and the smallest budget it accepts.
 */
public final class BudgetTooSmallException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** @param problem what follows the input's name: the budget, the search and the smallest budget it accepts */
    public BudgetTooSmallException(String problem) {
        super(ExplainOptions.BUDGET, problem, null);
    }
}
