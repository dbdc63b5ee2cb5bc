package io.github.eagle4j.cli;

import io.github.eagle4j.ExplainMethod;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.evaluation.output.ImageBudget;
import io.github.eagle4j.search.FullGreedySearch;

import java.util.Locale;

/**
 * How many images a search is expected to score, for the ETA of its progress line, and how sure that number is.
 * Full greedy scores exactly N(N+1) and the efficient search its fixed count; a baseline its samples and curves; a
 * budget caps a lazy or fast search ("at most"); an unbudgeted lazy or fast search depends on the objective, so its
 * count is an estimate from the held-out measurements of docs/search.md (fast about 14-16 % of full greedy's images,
 * lazy about 27 %).
 *
 * @param images how many images
 * @param kind   exact, an upper bound, or an estimate
 */
record ImagePlan(long images, Kind kind) {
    /** How sure the count is. */
    enum Kind {
        EXACT(""), AT_MOST("<="), ESTIMATE("~");

        private final String mark;

        Kind(String mark) {
            this.mark = mark;
        }
    }

    /** Share of full greedy's images an unbudgeted fast search scores (docs/search.md, rounded up). */
    static final double FAST_SHARE = 0.16;
    /** Share of full greedy's images an unbudgeted lazy search scores (docs/search.md, rounded up). */
    static final double LAZY_SHARE = 0.28;

    /** The plan of one search with these options over {@code n} regions. */
    static ImagePlan of(ExplainOptions options, int n) {
        long bound = ImageBudget.upperBound(options, n);
        if (options.method() != ExplainMethod.EAGLE) {
            return new ImagePlan(bound, options.method() == ExplainMethod.KERNELSHAP ? Kind.AT_MOST : Kind.EXACT);
        }
        SearchKind search = options.search();
        if (search == SearchKind.LAZY || search == SearchKind.FAST) {
            if (options.hasBudget()) {
                return new ImagePlan(bound, Kind.AT_MOST);
            }
            double share = search == SearchKind.FAST ? FAST_SHARE : LAZY_SHARE;
            return new ImagePlan(Math.max(2L * n + 2, Math.round(share * FullGreedySearch.imageCount(n, false))),
                    Kind.ESTIMATE);
        }
        return new ImagePlan(bound, options.earlyStop() ? Kind.AT_MOST : Kind.EXACT);
    }

    /** The count as shown: {@code 4160}, {@code <=500} or {@code ~832}. */
    String label() {
        return kind.mark + String.format(Locale.ROOT, "%d", images);
    }

    /**
     * Seconds left after {@code elapsed} seconds with {@code scored} images scored and {@code placed} of {@code total}
     * regions placed: from the images; from the regions once an estimate proved too low; negative when unknown.
     */
    double secondsLeft(double elapsed, long scored, int placed, int total) {
        if (scored > 0 && scored < images) {
            return elapsed * (images - scored) / scored;
        }
        if (placed > 0 && placed < total) {
            return elapsed * (total - placed) / placed;
        }
        return -1;
    }
}
