package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.diagnosis.Diagnoser;
import io.github.eagle4j.evaluation.Baselines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code eagle evaluate}: one explanation per manifest line, resumable and shardable, with a summary table. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates EAGLE on a data set: one explanation (or, for items with a label, one hallucination "
                + "diagnosis) per line of a JSON Lines manifest, each written atomically to --out/items/ID; re-running "
                + "skips finished items. Writes summary.json and prints mean insertion/deletion AUC, highest confidence, "
                + "sensitive-token metrics, pointing game (box, mask), AMCR/CSR@10%%, model calls and wall time.", ""},
        footer = {"", "Manifest lines (paths relative to the manifest):",
                "  {\"id\": \"s1\", \"image\": \"scene-001.png\", \"prompt\": \"Describe the image.\", \"answer\": \"a red circle .\",",
                "   \"targets\": \"red\", \"box\": [10, 20, 40, 50], \"mask\": \"scene-001-mask0.png\"}",
                "  {\"image\": \"x.png\", \"prompt\": \"Is there a red circle?\", \"label\": \"no\"}",
                "", "Examples:",
                "  ./eagle evaluate --manifest examples/scenes/manifest.jsonl --out eval-out --compare random,occlusion",
                "  ./eagle evaluate --manifest m.jsonl --out part1 --shard 1/2     (and --shard 2/2 --out part2 elsewhere)",
                "  ./eagle evaluate --merge part1 part2 --out merged"})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--manifest", paramLabel = "FILE.jsonl", description = "The items (JSON Lines); see below.")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder: items/ID per item, summary.json; an earlier run's folder is resumed.")
    Path out;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Evaluate only the items whose 0-based manifest index %% N == I-1 (e.g. 1/4 .. 4/4).")
    String shard;

    @Option(names = "--merge", arity = "1..*", paramLabel = "DIR",
            description = "Combine the output folders of shard runs into --out and recompute the summary (no model needed).")
    List<Path> merge;

    @Option(names = "--compare", paramLabel = "LIST", split = ",",
            description = "Baselines scored on the same items: random (seeded random order) and/or occlusion "
                    + "(regions ranked by single-region removal, one batch of N images).")
    List<String> compare;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the random baseline (mixed with each item's id). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    RegionOptions regions = new RegionOptions();

    @Mixin
    SearchOptions searchOptions = new SearchOptions();

    @Option(names = "--max-new-tokens", defaultValue = "128", paramLabel = "N",
            description = "Longest answer generated for items without an answer (default ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--diagnosis-max-new-tokens", defaultValue = "" + Diagnoser.DEFAULT_MAX_NEW_TOKENS, paramLabel = "N",
            description = "Longest answer of labelled (yes/no) items and their re-generations (default ${DEFAULT-VALUE}).")
    int diagnosisMaxNewTokens;

    @Option(names = "--generation-threads", defaultValue = "0", paramLabel = "N",
            description = "Re-generations run side by side (0 = min(4, cores)).")
    int generationThreads;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() throws java.io.IOException {
        return merge != null ? mergeRuns() : evaluate();
    }

    private int evaluate() throws java.io.IOException {
        long start = System.nanoTime();
        if (manifest == null) {
            throw new InvalidInputException("--manifest is required (or --merge DIR... to combine shard outputs)");
        }
        if (regions.regionsFile != null) {
            throw new InvalidInputException("--regions-file cannot be used with evaluate (one label map cannot fit every image)");
        }
        int[] sh = parseShard(shard);
        List<String> methods = parseCompare(compare);
        if (maxNewTokens < 1 || diagnosisMaxNewTokens < 1) {
            throw new InvalidInputException("--max-new-tokens and --diagnosis-max-new-tokens must be at least 1");
        }
        if (generationThreads < 0) {
            throw new InvalidInputException("--generation-threads must be 0 (automatic) or more, got " + generationThreads);
        }
        ExplainOptions options = searchOptions.options(regions.segmenter());
        Manifest m = Manifest.read(manifest);
        ObjectNode settings = settings(m, methods);
        EvaluationStore store = EvaluationStore.open(out, settings);

        List<Manifest.Item> mine = sh == null ? m.items() : m.shard(sh[0], sh[1]);
        Map<String, Boolean> labelled = new LinkedHashMap<>();
        mine.forEach(it -> labelled.put(it.id(), it.labelled()));
        int cleaned = store.clean(labelled);
        List<Manifest.Item> todo = mine.stream().filter(it -> !store.finished(it.id(), it.labelled())).toList();
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "evaluate: %d items in %s%s, %d already done%s, %d to go%n", mine.size(), manifest,
                sh == null ? "" : " (shard " + shard + ")", mine.size() - todo.size(),
                cleaned > 0 ? " (" + cleaned + " unfinished removed)" : "", todo.size());
        err.flush();
        if (!todo.isEmpty()) {
            try (VisionLanguageModel vlm = Models.open(model)) {
                ItemEvaluator evaluator = new ItemEvaluator(vlm, options, methods, seed, maxNewTokens,
                        diagnosisMaxNewTokens, DiagnoseCommand.threads(generationThreads), err);
                boolean terminal = ConsoleProgress.isTerminal();
                TaskProgress bar = new TaskProgress(err, terminal, "evaluate", "items", true);
                int done = mine.size() - todo.size();
                int doneHere = 0;
                for (Manifest.Item item : todo) {
                    final int d = done;
                    final int dh = doneHere;
                    ProgressListener inner = terminal
                            ? (placed, total, images) -> bar.update(d, mine.size(), dh + (double) placed / total, todo.size(),
                            String.format(Locale.ROOT, "| %s %d/%d regions", item.id(), placed, total))
                            : ProgressListener.NONE;
                    Path staging = store.stage(item.id());
                    ObjectNode r;
                    try {
                        r = evaluator.evaluate(item, staging, inner);
                        store.publish(staging, item.id());
                    } catch (RuntimeException | java.io.IOException e) {
                        OutputFolder.deleteTree(staging);
                        throw e;
                    }
                    done++;
                    doneHere++;
                    JsonNode eagle = r.get("methods").get("eagle");
                    bar.update(done, mine.size(), doneHere, todo.size(), String.format(Locale.ROOT,
                            "| %s: ins %.3f del %.3f, %.1f s", item.id(), eagle.get("insertionAuc").asDouble(),
                            eagle.get("deletionAuc").asDouble(), r.get("elapsedMs").asLong() / 1000.0));
                }
            }
        }
        List<String> ids = m.items().stream().map(Manifest.Item::id).toList();
        Map<String, JsonNode> results = store.results(ids);
        ObjectNode summary = EvaluationSummary.compute(settings, results, sh == null ? null : shard,
                (System.nanoTime() - start) / 1_000_000);
        store.writeSummary(summary);
        store.writeReport(summary, results);
        PrintWriter o = spec.commandLine().getOut();
        o.print(EvaluationSummary.table(summary));
        o.println("wrote " + out.resolve(EvaluationStore.SUMMARY));
        o.flush();
        return 0;
    }

    private int mergeRuns() {
        long start = System.nanoTime();
        if (shard != null) {
            throw new InvalidInputException("--merge and --shard cannot be used together");
        }
        ObjectNode settings = null;
        Path first = null;
        for (Path dir : merge) {
            ObjectNode s = EvaluationStore.settingsOf(dir);
            if (settings == null) {
                settings = s;
                first = dir;
            } else {
                List<String> diff = EvaluationStore.differences("", settings, s);
                if (!diff.isEmpty()) {
                    throw new InvalidInputException("--merge " + dir + " was made with other settings than " + first
                            + " (" + String.join("; ", diff) + ")");
                }
            }
        }
        EvaluationStore store = EvaluationStore.open(out, settings);
        List<String> ids = new ArrayList<>();
        settings.get("manifest").get("ids").forEach(n -> ids.add(n.asText()));
        int imported = 0;
        for (Path dir : merge) {
            Path abs = dir.toAbsolutePath().normalize();
            if (abs.equals(store.root())) {
                continue;
            }
            for (String id : ids) {
                Path item = abs.resolve(EvaluationStore.ITEMS).resolve(id);
                if (Files.isRegularFile(item.resolve(ItemEvaluator.RESULT)) && store.importItem(item, id)) {
                    imported++;
                }
            }
        }
        spec.commandLine().getErr().printf(Locale.ROOT, "evaluate --merge: %d item folder(s) copied into %s%n", imported, out);
        Map<String, JsonNode> results = store.results(ids);
        ObjectNode summary = EvaluationSummary.compute(settings, results, null,
                (System.nanoTime() - start) / 1_000_000);
        store.writeSummary(summary);
        store.writeReport(summary, results);
        PrintWriter o = spec.commandLine().getOut();
        o.print(EvaluationSummary.table(summary));
        o.println("wrote " + out.resolve(EvaluationStore.SUMMARY));
        o.flush();
        return 0;
    }

    /** What a resumed run or a merge must agree on (not the shard, threads or paths of the machine). */
    private ObjectNode settings(Manifest m, List<String> methods) {
        ObjectNode s = DiagnosisFiles.MAPPER.createObjectNode();
        ObjectNode man = s.putObject("manifest");
        man.put("file", m.file().getFileName().toString());
        man.put("sha256", m.sha256());
        var ids = man.putArray("ids");
        m.items().forEach(it -> ids.add(it.id()));
        s.put("model", modelIdentity());
        s.put("regions", regions.grid != null ? "grid " + regions.grid.toLowerCase(Locale.ROOT) : "slic " + regions.regions);
        s.set("search", DiagnosisFiles.MAPPER.valueToTree(searchOptions.describe()));
        var cmp = s.putArray("compare");
        methods.forEach(cmp::add);
        s.put("seed", seed);
        s.put("maxNewTokens", maxNewTokens);
        s.put("diagnosisMaxNewTokens", diagnosisMaxNewTokens);
        return s;
    }

    /** The model's directory name (or the URL / test name): the same model at other paths on other machines matches. */
    private String modelIdentity() {
        String resolved = model.resolvedModel();
        Path p = Path.of(resolved);
        if (Files.isDirectory(p) && p.toAbsolutePath().normalize().getFileName() != null) {
            return p.toAbsolutePath().normalize().getFileName().toString();
        }
        return resolved;
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
            if (!s.equals(Baselines.RANDOM) && !s.equals(Baselines.OCCLUSION)) {
                throw new InvalidInputException("--compare " + v + ": expected random and/or occlusion");
            }
            wanted.add(s);
        }
        for (String known : List.of(Baselines.RANDOM, Baselines.OCCLUSION)) {
            if (wanted.contains(known)) {
                out.add(known);
            }
        }
        return out;
    }
}
