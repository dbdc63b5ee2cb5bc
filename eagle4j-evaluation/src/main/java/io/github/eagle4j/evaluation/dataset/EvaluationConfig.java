package io.github.eagle4j.evaluation.dataset;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.Segmenter;
import io.github.eagle4j.diagnosis.Diagnoser;
import io.github.eagle4j.evaluation.Baselines;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Every setting of a data-set evaluation, immutable. Start from {@link #of(ExplainOptions)} and change fields with
 * the {@code with...} methods.
 *
 * @param explain               the search, regions and fill of every item's explanation
 * @param regions               how the regions are described in {@code evaluate.json} (e.g. {@code slic 64},
 *                              {@code grid 4x4}); compared when a run resumes
 * @param search                the search settings as described in {@code evaluate.json}; compared when a run resumes
 * @param compare               methods scored on the same items and regions, in the order of {@link #METHODS}:
 *                              search kinds ({@code full}, {@code efficient}, {@code lazy}, {@code fast}: EAGLE with
 *                              that search and the run's λs, fill and search knobs, without early stop, budget or
 *                              checked steps), then baselines ({@link Baselines#RANDOM}, {@link Baselines#OCCLUSION},
 *                              {@code rise}, {@code lime}, {@code kernelshap}; the sampling ones score
 *                              {@code explain.baselineSamples()} images each per item)
 * @param seed                  seed of the random and sampling baselines (mixed with each item's id)
 * @param maxNewTokens          longest answer generated for items without an answer
 * @param diagnosisMaxNewTokens longest answer of labelled items and their re-generations
 * @param generationThreads     re-generations run side by side (≥ 1)
 * @param skipBadItems          when true an item whose input is bad (unreadable image, answer without tokens,
 *                              absent target word) is recorded in the summary's {@code badItems} and the run goes
 *                              on; when false the first bad item stops the run (finished items are kept and a
 *                              re-run resumes)
 * @param compareAtBudget       when true each sampling baseline gets, per item, as many images in all as EAGLE's
 *                              search used on it (samples = EAGLE's images − the 2N of its curves) instead of
 *                              {@code explain.baselineSamples()}
 */
public record EvaluationConfig(ExplainOptions explain, String regions, Map<String, Object> search,
                               List<String> compare, long seed, int maxNewTokens, int diagnosisMaxNewTokens,
                               int generationThreads, boolean skipBadItems, boolean compareAtBudget) {
    /** Default longest answer for items without an answer. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 128;

    /** The baselines {@code compare} may name, in the order a run lists them. */
    public static final List<String> BASELINES = List.of(Baselines.RANDOM, Baselines.OCCLUSION, "rise", "lime",
            "kernelshap");

    /** The search kinds {@code compare} may name ({@link SearchKind#cliName()}), in the order a run lists them. */
    public static final List<String> SEARCHES = java.util.Arrays.stream(SearchKind.values()).map(SearchKind::cliName)
            .toList();

    /** Everything {@code compare} may name, in the order a run lists them: the search kinds, then the baselines. */
    public static final List<String> METHODS = java.util.stream.Stream.concat(SEARCHES.stream(), BASELINES.stream())
            .toList();

    /** Validates the fields. */
    public EvaluationConfig {
        Objects.requireNonNull(explain, "explain");
        Objects.requireNonNull(regions, "regions");
        search = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(search));
        compare = List.copyOf(compare);
        for (String c : compare) {
            if (!METHODS.contains(c)) {
                throw new IllegalArgumentException("unknown method '" + c + "': expected some of "
                        + String.join(", ", METHODS));
            }
        }
        if (maxNewTokens < 1 || diagnosisMaxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens and diagnosisMaxNewTokens must be at least 1");
        }
        if (generationThreads < 1) {
            throw new IllegalArgumentException("generationThreads must be at least 1, got " + generationThreads);
        }
    }

    /**
     * The defaults around {@code explain}: its regions and search described as the CLI describes them, no
     * baselines, seed 0, 128 new tokens (diagnosis: {@link Diagnoser#DEFAULT_MAX_NEW_TOKENS}), min(4, cores)
     * generation threads, bad items stop the run.
     */
    public static EvaluationConfig of(ExplainOptions explain) {
        return new EvaluationConfig(explain, describeRegions(explain.segmenter()), describeSearch(explain), List.of(),
                0, DEFAULT_MAX_NEW_TOKENS, Diagnoser.DEFAULT_MAX_NEW_TOKENS,
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), false, false);
    }

    /** With these compared methods (kept in the canonical order of {@link #METHODS}). */
    public EvaluationConfig withCompare(List<String> methods) {
        for (String m : methods) {
            if (!METHODS.contains(m)) {
                throw new IllegalArgumentException("unknown method '" + m + "': expected some of "
                        + String.join(", ", METHODS));
            }
        }
        List<String> ordered = METHODS.stream().filter(methods::contains).toList();
        return new EvaluationConfig(explain, regions, search, ordered, seed, maxNewTokens, diagnosisMaxNewTokens,
                generationThreads, skipBadItems, compareAtBudget);
    }

    /** With this seed of the random baseline. */
    public EvaluationConfig withSeed(long value) {
        return new EvaluationConfig(explain, regions, search, compare, value, maxNewTokens, diagnosisMaxNewTokens,
                generationThreads, skipBadItems, compareAtBudget);
    }

    /** Sampling baselines at EAGLE's per-item budget (true) or at {@code explain.baselineSamples()} (false). */
    public EvaluationConfig withCompareAtBudget(boolean value) {
        return new EvaluationConfig(explain, regions, search, compare, seed, maxNewTokens, diagnosisMaxNewTokens,
                generationThreads, skipBadItems, value);
    }

    /** With these answer lengths. */
    public EvaluationConfig withMaxNewTokens(int answer, int diagnosis) {
        return new EvaluationConfig(explain, regions, search, compare, seed, answer, diagnosis, generationThreads,
                skipBadItems, compareAtBudget);
    }

    /** With this many re-generations side by side. */
    public EvaluationConfig withGenerationThreads(int value) {
        return new EvaluationConfig(explain, regions, search, compare, seed, maxNewTokens, diagnosisMaxNewTokens, value,
                skipBadItems, compareAtBudget);
    }

    /** Whether bad items are recorded and skipped. */
    public EvaluationConfig withSkipBadItems(boolean value) {
        return new EvaluationConfig(explain, regions, search, compare, seed, maxNewTokens, diagnosisMaxNewTokens,
                generationThreads, value, compareAtBudget);
    }

    /** With other descriptions of the regions and the search (e.g. the CLI's, which name every option). */
    public EvaluationConfig withDescriptions(String regionsDescription, Map<String, Object> searchDescription) {
        return new EvaluationConfig(explain, regionsDescription, searchDescription, compare, seed, maxNewTokens,
                diagnosisMaxNewTokens, generationThreads, skipBadItems, compareAtBudget);
    }

    /** {@code grid RxC}, {@code slic N} or the segmenter's name and settings. */
    public static String describeRegions(Segmenter segmenter) {
        Map<String, Object> s = segmenter.settings();
        return switch (segmenter.name()) {
            case "grid" -> "grid " + s.get("rows") + "x" + s.get("cols");
            case "slic" -> "slic " + s.get("nominalRegions");
            default -> (segmenter.name() + " " + s).toLowerCase(Locale.ROOT);
        };
    }

    /** The search settings as {@code evaluate.json} records them: search, λs, fill, the search's knobs, early stop. */
    public static Map<String, Object> describeSearch(ExplainOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("search", o.search().cliName());
        m.put("lambda1", o.lambda1());
        m.put("lambda2", o.lambda2());
        m.put("fill", o.fill().cliName());
        if (o.search() == SearchKind.EFFICIENT) {
            m.put("searchScope", o.searchScope());
            m.put("pendingSamples", o.pendingSamples());
            m.put("updateStep", o.updateStep());
        }
        if (o.search() == SearchKind.LAZY) {
            m.put("lazyBatch", o.lazyBatch());
        }
        m.put("earlyStop", o.earlyStop() ? o.earlyStopEpsilon() : null);
        if (o.eachToken()) {
            m.put("eachToken", true);
        }
        return m;
    }
}
