package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.diagnosis.Diagnoser;
import io.github.eagle4j.evaluation.dataset.DataSetEvaluator;
import io.github.eagle4j.evaluation.dataset.EvaluationConfig;
import io.github.eagle4j.evaluation.dataset.EvaluationListener;
import io.github.eagle4j.evaluation.dataset.EvaluationStore;
import io.github.eagle4j.evaluation.dataset.EvaluationSummary;
import io.github.eagle4j.evaluation.dataset.Manifest;
import io.github.eagle4j.evaluation.dataset.ModelIdentity;
import io.github.eagle4j.evaluation.dataset.Shard;
import io.github.eagle4j.report.ExplanationWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code eagle evaluate}: one explanation per manifest line, resumable and shardable, with a summary table. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates EAGLE on a data set: one explanation (or, for items with a label, one hallucination "
                + "diagnosis) per line of a JSON Lines manifest, each written atomically to --out/items/ID; re-running "
                + "skips finished items. Writes summary.json and prints mean insertion/deletion AUC, highest confidence, "
                + "sensitive-token metrics, pointing game (box, mask), AMCR/CSR@10%%, model calls and wall time. "
                + "A bad item (unreadable image, answer without tokens, absent target word) stops the run with exit "
                + "status 2: finished items are kept and a re-run resumes; --skip-bad-items records it in summary.json "
                + "instead. One run at a time per --out (evaluate.lock); a resume or merge must use the same model "
                + "files, --dtype and --backend.", ""},
        footer = {"", "Manifest lines (paths relative to the manifest):",
                "  {\"id\": \"s1\", \"image\": \"scene-001.png\", \"prompt\": \"Describe the image.\",",
                "   \"answer\": \"a red circle .\", \"targets\": \"red\", \"box\": [10, 20, 40, 50],",
                "   \"mask\": \"scene-001-mask0.png\"}",
                "  {\"image\": \"x.png\", \"prompt\": \"Is there a red circle?\", \"label\": \"no\"}",
                "", "Examples:",
                "  ./eagle evaluate --manifest examples/scenes/manifest.jsonl --out eval-out \\",
                "      --compare random,occlusion",
                "  ./eagle evaluate --manifest examples/scenes/manifest.jsonl --out eval-budget \\",
                "      --compare rise,lime,kernelshap --compare-at-budget",
                "  ./eagle evaluate --manifest examples/scenes/manifest.jsonl --out eval-searches \\",
                "      --compare full,efficient,lazy,fast,occlusion",
                "  ./eagle evaluate --manifest m.jsonl --out part1 --shard 1/2",
                "      (and --shard 2/2 --out part2 elsewhere)",
                "  ./eagle evaluate --merge part1 part2 --out merged"})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(validate = false, heading = "%nData set:%n", order = HelpSections.INPUT_ORDER)
    DataSet dataSet = new DataSet();

    @Mixin
    RegionOptions regions = new RegionOptions();

    @Mixin
    SearchOptions searchOptions = new SearchOptions();

    @ArgGroup(validate = false, heading = "%nBaselines:%n", order = HelpSections.METHOD_ORDER)
    Baselines baselines = new Baselines();

    @Mixin
    ModelOptions model = new ModelOptions();

    @ArgGroup(validate = false, heading = HelpSections.OUTPUT, order = HelpSections.OUTPUT_ORDER)
    Output output = new Output();

    /** The items, which of them, and how their answers are generated. */
    static final class DataSet {
        @Option(names = "--manifest", paramLabel = "FILE.jsonl", description = "The items (JSON Lines); see below.")
        Path manifest;

        @Option(names = "--shard", paramLabel = "I/N",
                description = "Evaluate only the items whose 0-based manifest index %% N == I-1 (e.g. 1/4 .. 4/4).")
        String shard;

        @Option(names = "--merge", arity = "1..*", paramLabel = "DIR",
                description = "Combine the output folders of shard runs into --out and recompute the summary (no model needed).")
        List<Path> merge;

        @Option(names = "--max-new-tokens", defaultValue = "128", paramLabel = "N",
                description = "Longest answer generated for items without an answer (default ${DEFAULT-VALUE}).")
        int maxNewTokens;

        @Option(names = "--diagnosis-max-new-tokens", defaultValue = "" + Diagnoser.DEFAULT_MAX_NEW_TOKENS, paramLabel = "N",
                description = "Longest answer of labelled (yes/no) items and their re-generations (default ${DEFAULT-VALUE}).")
        int diagnosisMaxNewTokens;

        @Option(names = "--generation-threads", defaultValue = "0", paramLabel = "N",
                description = "Re-generations run side by side (0 = min(4, cores)).")
        int generationThreads;

        @Option(names = "--each-token",
                description = "Explain every target token on its own too (sharing scored images): per-token AUCs in "
                        + "result.json and their means in the summary, tokens/ overlays in each item folder; with --search "
                        + "fast and no --budget, at most 2.5·N(N+1) images per item.")
        boolean eachToken;

        @Option(names = "--skip-bad-items",
                description = "Record a bad item in summary.json (badItems, missing) and go on; without it a bad item "
                        + "stops the run (finished items are kept; a re-run resumes).")
        boolean skipBadItems;
    }

    /** The baselines scored beside EAGLE on the same items and regions. */
    static final class Baselines {
        @Option(names = "--compare", paramLabel = "LIST", split = ",",
                description = "Methods scored on the same items and regions: the searches full, efficient, lazy, fast "
                        + "(measured against full greedy: ratios and the tail below 95 %%), and the baselines random "
                        + "(seeded random order), occlusion (single-region removal, N + 1 images), rise, lime, kernelshap "
                        + "(--baseline-samples images each).")
        List<String> compare;

        @Option(names = "--baseline-samples", paramLabel = "N", defaultValue = "" + ExplainOptions.DEFAULT_BASELINE_SAMPLES,
                description = "Images rise, lime and kernelshap score per item to build their order (default ${DEFAULT-VALUE}).")
        int baselineSamples;

        @Option(names = "--compare-at-budget",
                description = "Give rise, lime and kernelshap, per item, as many images in all as EAGLE's search used on it "
                        + "(their samples = EAGLE's images - the 2N images of their curves) instead of --baseline-samples.")
        boolean compareAtBudget;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
                description = "Seed of the random and sampling baselines (mixed with each item's id). Default: ${DEFAULT-VALUE}.")
        long seed;
    }

    /** Where the run is written. */
    static final class Output {
        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Output folder: items/ID per item, summary.json; an earlier run's folder is resumed.")
        Path out;
    }

    @Override
    public Integer call() throws java.io.IOException {
        return dataSet.merge != null ? mergeRuns() : evaluate();
    }

    private int evaluate() throws java.io.IOException {
        Path manifest = dataSet.manifest;
        Path out = output.out;
        if (manifest == null) {
            throw new InvalidInputException("--manifest is required (or --merge DIR... to combine shard outputs)");
        }
        if (regions.fromFile()) {
            throw new InvalidInputException("--regions-file cannot be used with evaluate (one label map cannot fit every image)");
        }
        int[] sh = parseShard(dataSet.shard);
        List<String> methods = parseCompare(baselines.compare);
        if (baselines.baselineSamples < 2) {
            throw new InvalidInputException("--baseline-samples must be at least 2, got " + baselines.baselineSamples);
        }
        if (dataSet.maxNewTokens < 1 || dataSet.diagnosisMaxNewTokens < 1) {
            throw new InvalidInputException("--max-new-tokens and --diagnosis-max-new-tokens must be at least 1");
        }
        if (dataSet.generationThreads < 0) {
            throw new InvalidInputException("--generation-threads must be 0 (automatic) or more, got "
                    + dataSet.generationThreads);
        }
        ExplainOptions options = searchOptions.options(regions.segmenter()).toBuilder()
                .baselineSamples(baselines.baselineSamples).eachToken(dataSet.eachToken).build();
        // checked per item's worth of images before the model loads: a whole data set of such searches would never end
        SearchCost.check(options, regions.nominalCount(), searchOptions.allowLargeSearch());
        EvaluationConfig config = EvaluationConfig.of(options)
                .withDescriptions(regions.describe(), withEachToken(searchOptions.describe(), dataSet.eachToken))
                .withCompare(methods).withSeed(baselines.seed)
                .withMaxNewTokens(dataSet.maxNewTokens, dataSet.diagnosisMaxNewTokens)
                .withGenerationThreads(DiagnoseCommand.threads(dataSet.generationThreads))
                .withCompareAtBudget(baselines.compareAtBudget).withSkipBadItems(dataSet.skipBadItems);
        Manifest m = Manifest.read(manifest);
        ModelIdentity identity = ModelIdentity.of(model.resolvedModel(), model.servedModel(), model.dtype(), model.backend());
        ProgressLine line = ProgressLine.of(spec);
        Shard part = sh == null ? null : new Shard(sh[0], sh[1]);
        ObjectNode summary;
        try {
            summary = new DataSetEvaluator(config, identity, () -> Models.open(model))
                    .run(m, part, out, new Progress(line, part));
        } finally {
            line.clear();
        }
        print(summary);
        return 0;
    }

    private int mergeRuns() {
        Path out = output.out;
        if (dataSet.shard != null) {
            throw new InvalidInputException("--merge and --shard cannot be used together");
        }
        PrintWriter err = spec.commandLine().getErr();
        ObjectNode summary = DataSetEvaluator.merge(dataSet.merge, out, new EvaluationListener() {
            @Override
            public void merged(int imported) {
                err.printf(Locale.ROOT, "evaluate --merge: %d item folder(s) copied into %s%n", imported, output.out);
                err.flush();
            }
        });
        print(summary);
        return 0;
    }

    private void print(ObjectNode summary) {
        PrintWriter o = spec.commandLine().getOut();
        o.print(EvaluationSummary.table(summary));
        o.println("wrote " + output.out.resolve(EvaluationStore.SUMMARY));
        o.println(ExplainCommand.reportLine(output.out.resolve(ExplanationWriter.REPORT)));
        o.flush();
    }

    /** Renders the run's progress: a line on start, then a progress line (on a terminal) or a log line per item. */
    private final class Progress implements EvaluationListener {
        private final ProgressLine line;
        private final Shard part;
        private final TaskProgress bar;
        private int items;
        private int toGo;
        private int doneHere;

        Progress(ProgressLine line, Shard part) {
            this.line = line;
            this.part = part;
            this.bar = new TaskProgress(line, "evaluate", "items", true);
        }

        @Override
        public void started(int items, int done, int leftovers, int toGo) {
            this.items = items;
            this.toGo = toGo;
            line.println(String.format(Locale.ROOT, "evaluate: %d items in %s%s, %d already done%s, %d to go", items,
                    dataSet.manifest, part == null ? "" : " (shard " + dataSet.shard + ")", done,
                    leftovers > 0 ? " (" + leftovers + " unfinished removed)" : "", toGo));
        }

        @Override
        public void itemProgress(Manifest.Item item, int placed, int total, long images) {
            if (line.enabled()) {
                int done = items - toGo + doneHere;
                bar.update(done, items, doneHere + (double) placed / total, toGo,
                        String.format(Locale.ROOT, "| %s %d/%d regions", item.id(), placed, total));
            }
        }

        @Override
        public void itemFinished(Manifest.Item item, JsonNode r, int done, int total) {
            doneHere++;
            JsonNode eagle = r.get("methods").get("eagle");
            bar.update(done, total, doneHere, toGo, String.format(Locale.ROOT,
                    "| %s: ins %.3f del %.3f, %.1f s", item.id(), eagle.get("insertionAuc").asDouble(),
                    eagle.get("deletionAuc").asDouble(), r.get("elapsedMs").asLong() / 1000.0));
        }

        @Override
        public void itemSkipped(Manifest.Item item, String reason) {
            line.println("skipped bad item: " + reason);
        }

        @Override
        public void note(String text) {
            line.println(text);
        }
    }

    /** The search description with {@code eachToken: true} when on, so that a resume with the other setting is refused. */
    private static java.util.Map<String, Object> withEachToken(java.util.Map<String, Object> search, boolean eachToken) {
        if (!eachToken) {
            return search;
        }
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(search);
        m.put("eachToken", true);
        return m;
    }

    static int[] parseShard(String spec) {
        if (spec == null) {
            return null;
        }
        String[] parts = spec.split("/");
        try {
            if (parts.length == 2) {
                int i = Integer.parseInt(parts[0].strip());
                int n = Integer.parseInt(parts[1].strip());
                if (n >= 1 && i >= 1 && i <= n) {
                    return new int[]{i, n};
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidInputException("--shard " + spec + ": expected I/N with 1 <= I <= N, e.g. 1/4");
    }

    static List<String> parseCompare(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values == null) {
            return out;
        }
        List<String> wanted = new ArrayList<>();
        for (String v : values) {
            String s = v.strip().toLowerCase(Locale.ROOT);
            if (s.isEmpty()) {
                continue;
            }
            if (!EvaluationConfig.METHODS.contains(s)) {
                throw new InvalidInputException("--compare " + v + ": expected some of "
                        + String.join(", ", EvaluationConfig.METHODS));
            }
            wanted.add(s);
        }
        for (String known : EvaluationConfig.METHODS) {
            if (wanted.contains(known)) {
                out.add(known);
            }
        }
        return out;
    }
}
