package io.github.eagle4j.cli;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Fill;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.Segmenter;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Search, objective and fill options shared by {@code explain}, {@code diagnose} and {@code evaluate}. */
public final class SearchOptions {
    @Option(names = "--search", paramLabel = "KIND", defaultValue = "full",
            description = "full (the paper's greedy, N(N+1) images), efficient (the authors' bidirectional variant), "
                    + "lazy (priority queue; exact if the objective is submodular) or fast (full greedy's quality at a "
                    + "small share of its images, docs/search.md). Default: ${DEFAULT-VALUE}.")
    SearchKind search;

    @Option(names = "--lambda1", defaultValue = "1.0", paramLabel = "W", description = "Weight of sufficiency (default ${DEFAULT-VALUE}).")
    double lambda1;

    @Option(names = "--lambda2", defaultValue = "1.0", paramLabel = "W", description = "Weight of necessity (default ${DEFAULT-VALUE}).")
    double lambda2;

    @Option(names = "--fill", defaultValue = "black", paramLabel = "FILL",
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
            description = "Fast search: candidates re-scored per step by their latest gains (default ${DEFAULT-VALUE}).")
    int fastWindow;

    @Option(names = "--fast-explore", defaultValue = "2", paramLabel = "E",
            description = "Fast search: candidates re-scored per step by their mean effect over random masks "
                    + "(default ${DEFAULT-VALUE}; 0 = no masks).")
    int fastExplore;

    @Option(names = "--verify-steps", defaultValue = "0", paramLabel = "K",
            description = "After the search, re-score K sampled steps in full and report how many agree.")
    int verifySteps;

    /** The explanation options for this segmenter. */
    ExplainOptions options(Segmenter segmenter) {
        try {
            ExplainOptions.Builder b = ExplainOptions.builder().segmenter(segmenter).fill(fill).search(search)
                    .lambdas(lambda1, lambda2).efficient(searchScope, pendingSamples, updateStep).lazyBatch(lazyBatch)
                    .fastWindow(fastWindow).fastExplore(fastExplore).verifySteps(verifySteps);
            if (budget != null) {
                if (budget < 1) {
                    throw new InvalidInputException("--budget " + budget + ": must be at least 1 image");
                }
                b.budget(budget);
            }
            if (earlyStop != null) {
                b.earlyStop(earlyStop);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    /** The settings as recorded in outputs (every field, so two runs can be compared). */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("search", search.cliName());
        m.put("lambda1", lambda1);
        m.put("lambda2", lambda2);
        m.put("fill", fill.cliName());
        if (search == SearchKind.EFFICIENT) {
            m.put("searchScope", searchScope);
            m.put("pendingSamples", pendingSamples);
            m.put("updateStep", updateStep);
        }
        if (search == SearchKind.LAZY) {
            m.put("lazyBatch", lazyBatch);
        }
        if (search == SearchKind.FAST) {
            m.put("fastWindow", fastWindow);
            m.put("fastExplore", fastExplore);
        }
        if (budget != null) {
            m.put("budget", budget);
        }
        if (verifySteps > 0) {
            m.put("verifySteps", verifySteps);
        }
        m.put("earlyStop", earlyStop);
        return m;
    }
}
