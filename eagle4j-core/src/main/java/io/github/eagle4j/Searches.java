package io.github.eagle4j;

import io.github.eagle4j.search.EarlyStop;
import io.github.eagle4j.search.EfficientSearch;
import io.github.eagle4j.search.FastSearch;
import io.github.eagle4j.search.FullGreedySearch;
import io.github.eagle4j.search.LazyGreedySearch;
import io.github.eagle4j.search.Objective;
import io.github.eagle4j.search.RegionSearch;

/** Builds the search an {@link ExplainOptions} asks for. */
final class Searches {
    /** Upper bound of the automatic lazy batch: larger batches re-score more stale entries than needed. */
    static final int AUTO_LAZY_BATCH_CAP = 8;

    private Searches() {
    }

    /** The objective with the options' λs. */
    static Objective objective(ExplainOptions options) {
        return new Objective(options.lambda1(), options.lambda2());
    }

    static RegionSearch create(ExplainOptions options, Objective objective, int scorerBatchSize) {
        EarlyStop earlyStop = options.earlyStop() ? new EarlyStop(options.earlyStopEpsilon()) : null;
        long budget = options.budget();
        switch (options.search()) {
            case FULL:
                return new FullGreedySearch(objective, earlyStop, budget);
            case EFFICIENT:
                if (earlyStop != null) {
                    throw InvalidInputException.forInput(ExplainOptions.EARLY_STOP, " works with search 'full' or 'lazy', not 'efficient'");
                }
                return new EfficientSearch(objective, options.searchScope(), options.pendingSamples(),
                        options.updateStep(), budget);
            case LAZY:
                int b = options.lazyBatch() > 0 ? options.lazyBatch()
                        : Math.max(1, Math.min(scorerBatchSize, AUTO_LAZY_BATCH_CAP));
                return new LazyGreedySearch(objective, b, earlyStop, budget);
            case FAST:
                if (earlyStop != null) {
                    throw InvalidInputException.forInput(ExplainOptions.EARLY_STOP, " works with search 'full' or 'lazy'; "
                            + "search 'fast' stops its exact phase by itself (docs/search.md)");
                }
                return new FastSearch(objective, options.fastWindow(), options.fastExplore(),
                        FastSearch.DEFAULT_SATURATION, budget, options.seed());
            default:
                throw new IllegalStateException("unknown search " + options.search());
        }
    }
}
