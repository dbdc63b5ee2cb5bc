package io.github.eagle4j.cli;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Fill;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.Segmenter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Search, objective and fill options (a mixin) shared by the commands that explain: {@code explain}, {@code diagnose},
 * {@code evaluate}, {@code demo}.
 */
public final class SearchOptions {
    @ArgGroup(validate = false, heading = HelpSections.SEARCH, order = HelpSections.SEARCH_ORDER)
    Fields fields = new Fields();

    /** The options themselves, in their help section. */
    static final class Fields {
        @Option(names = "--search", paramLabel = "KIND", defaultValue = "full", completionCandidates = SearchNames.class,
                description = "full (the paper's greedy, N(N+1) images), efficient (the authors' bidirectional variant), "
                        + "lazy (priority queue; exact if the objective is submodular) or fast (full greedy's quality at a "
                        + "small share of its images, docs/search.md). Default: ${DEFAULT-VALUE}.")
        SearchKind search;

        @Option(names = "--lambda1", defaultValue = "1.0", paramLabel = "W", description = "Weight of sufficiency (default ${DEFAULT-VALUE}).")
        double lambda1;

        @Option(names = "--lambda2", defaultValue = "1.0", paramLabel = "W", description = "Weight of necessity (default ${DEFAULT-VALUE}).")
        double lambda2;

        @Option(names = "--fill", defaultValue = "black", paramLabel = "FILL", completionCandidates = FillNames.class,
                description = "What removed regions become: black (the paper's), mean or blur. Default: ${DEFAULT-VALUE}.")
        Fill fill;

        @Option(names = "--search-scope", defaultValue = "10", paramLabel = "S", description = "Efficient search: scope s (default ${DEFAULT-VALUE}).")
        int searchScope;

        @Option(names = "--pending-samples", defaultValue = "8", paramLabel = "P", description = "Efficient search: pending samples p (default ${DEFAULT-VALUE}).")
        int pendingSamples;

        @Option(names = "--update-step", defaultValue = "5", paramLabel = "U", description = "Efficient search: re-rank every u steps (default ${DEFAULT-VALUE}).")
        int updateStep;

        @Option(names = "--lazy-batch", defaultValue = "0", paramLabel = "B",
                description = "Lazy search: stale candidates re-scored per call (0 = automatic).")
        int lazyBatch;

        @Option(names = "--early-stop", paramLabel = "EPS", arity = "0..1", fallbackValue = "0.01",
                description = "Stop when the objective is within EPS of the full image's (default EPS 0.01); approximate.")
        Double earlyStop;

        @Option(names = "--budget", paramLabel = "IMAGES",
                description = "Score at most IMAGES images per search; the order says how much of it was placed exactly "
                        + "(full greedy needs N(N+1)).")
        Long budget;

        @Option(names = "--fast-window", defaultValue = "1", paramLabel = "W",
                description = "Fast search: candidates re-scored per step by their latest gains, moved into the current "
                        + "context by the surrogate (default ${DEFAULT-VALUE}).")
        int fastWindow;

        @Option(names = "--fast-explore", defaultValue = "2", paramLabel = "E",
                description = "Fast search: candidates re-scored per step by the predictions of a surrogate fitted on "
                        + "every scored image (default ${DEFAULT-VALUE}; 0 = no masks, no surrogate).")
        int fastExplore;

        @Option(names = "--verify-steps", defaultValue = "0", paramLabel = "K",
                description = "After the search, re-score K sampled steps in full and report how many agree.")
        int verifySteps;

        @Option(names = SearchCost.ALLOW,
                description = "Run a search that may score more than 1,000,000 images per image or item (refused otherwise, "
                        + "with the count).")
        boolean allowLargeSearch;
    }

    /** The names {@code --search} takes, as the completion script offers them. */
    static final class SearchNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(SearchKind.values()).map(SearchKind::cliName).iterator();
        }
    }

    /** The names {@code --fill} takes, as the completion script offers them. */
    static final class FillNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Fill.values()).map(Fill::cliName).iterator();
        }
    }

    /** {@code --allow-large-search}: run a search that plans more images than eagle4j runs without asking. */
    boolean allowLargeSearch() {
        return fields.allowLargeSearch;
    }

    /** The explanation options for this segmenter. */
    ExplainOptions options(Segmenter segmenter) {
        try {
            Fields f = fields;
            ExplainOptions.Builder b = ExplainOptions.builder().segmenter(segmenter).fill(f.fill).search(f.search)
                    .lambdas(f.lambda1, f.lambda2).efficient(f.searchScope, f.pendingSamples, f.updateStep)
                    .lazyBatch(f.lazyBatch).fastWindow(f.fastWindow).fastExplore(f.fastExplore).verifySteps(f.verifySteps);
            if (fields.budget != null) {
                if (fields.budget < 1) {
                    throw new InvalidInputException("--budget " + fields.budget + ": must be at least 1 image");
                }
                b.budget(fields.budget);
            }
            if (fields.earlyStop != null) {
                b.earlyStop(fields.earlyStop);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    /** The settings as recorded in outputs (every field, so two runs can be compared). */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("search", fields.search.cliName());
        m.put("lambda1", fields.lambda1);
        m.put("lambda2", fields.lambda2);
        m.put("fill", fields.fill.cliName());
        if (fields.search == SearchKind.EFFICIENT) {
            m.put("searchScope", fields.searchScope);
            m.put("pendingSamples", fields.pendingSamples);
            m.put("updateStep", fields.updateStep);
        }
        if (fields.search == SearchKind.LAZY) {
            m.put("lazyBatch", fields.lazyBatch);
        }
        if (fields.search == SearchKind.FAST) {
            m.put("fastWindow", fields.fastWindow);
            m.put("fastExplore", fields.fastExplore);
        }
        if (fields.budget != null) {
            m.put("budget", fields.budget);
        }
        if (fields.verifySteps > 0) {
            m.put("verifySteps", fields.verifySteps);
        }
        m.put("earlyStop", fields.earlyStop);
        return m;
    }
}
