package io.github.eagle4j.evaluation.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.evaluation.output.DiagnosisFiles;
import io.github.eagle4j.evaluation.output.Folders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Evaluates EAGLE on a data set: one explanation (or, for a labelled yes/no item, one diagnosis) per manifest item,
 * each published atomically into {@code out/items/ID}, then {@code summary.json} and {@code report.html} computed
 * from the items' files. A folder of an earlier run with the same settings is resumed: finished items are kept,
 * leftovers of a killed run are redone. Shards run into separate folders and {@link #merge} combines them; the
 * merged summary equals an uninterrupted run's apart from {@code timing}.
 *
 * <pre>{@code
 * EvaluationConfig config = EvaluationConfig.of(ExplainOptions.builder().regions(16).build())
 *         .withCompare(List.of(Baselines.RANDOM));
 * ModelIdentity id = ModelIdentity.of(modelDir.toString(), null, null, null);
 * ObjectNode summary = new DataSetEvaluator(config, id, () -> provider.open(modelDir.toString(), Map.of()))
 *         .run(Manifest.read(manifestFile), null, outDir, EvaluationListener.NONE);
 * }</pre>
 */
public final class DataSetEvaluator {
    /** The API name of {@link #run}'s output folder in messages ({@link InvalidInputException#input()}). */
    public static final String OUT = "out";
    /** The API name of {@link #merge}'s input folders in messages ({@link InvalidInputException#input()}). */
    public static final String INPUTS = "inputs";
    private final EvaluationConfig config;
    private final ModelIdentity model;
    private final Supplier<? extends VisionLanguageModel> opener;

    /**
     * An evaluator.
     *
     * @param config settings of every item
     * @param model  what identifies the model in the run's settings (compared when a run resumes)
     * @param opener opens the model; called only when an item is left to evaluate, and the model is closed after
     */
    public DataSetEvaluator(EvaluationConfig config, ModelIdentity model, Supplier<? extends VisionLanguageModel> opener) {
        this.config = Objects.requireNonNull(config, "config");
        this.model = Objects.requireNonNull(model, "model");
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /**
     * Evaluates the items of {@code shard} (all items for {@code null}) into {@code out}, resuming an earlier run
     * there, and writes {@code summary.json} and {@code report.html}.
     *
     * @return the summary as written
     * @throws InvalidInputException naming the folder when it holds another run's results, is foreign or is in use by
     *                               another run, or naming the manifest line of a bad item (unless bad items are
     *                               skipped: then the item is recorded in the summary's {@code badItems})
     * @throws IOException           when an item's files cannot be written
     */
    public ObjectNode run(Manifest manifest, Shard shard, Path out, EvaluationListener listener) throws IOException {
        long start = System.nanoTime();
        ObjectNode settings = settings(manifest);
        try (EvaluationStore store = EvaluationStore.open(out, settings)) {
            return run(store, settings, manifest, shard, listener, start);
        }
    }

    private ObjectNode run(EvaluationStore store, ObjectNode settings, Manifest manifest, Shard shard,
                           EvaluationListener listener, long start) throws IOException {
        List<Manifest.Item> mine = manifest.items(shard);
        Map<String, Boolean> labelled = new LinkedHashMap<>();
        mine.forEach(it -> labelled.put(it.id(), it.labelled()));
        int cleaned = store.clean(labelled);
        List<Manifest.Item> todo = mine.stream().filter(it -> !store.finished(it.id(), it.labelled())).toList();
        listener.started(mine.size(), mine.size() - todo.size(), cleaned, todo.size());
        if (!todo.isEmpty()) {
            try (VisionLanguageModel vlm = opener.get()) {
                ItemEvaluator evaluator = new ItemEvaluator(vlm, config, listener::note);
                int done = mine.size() - todo.size();
                for (Manifest.Item item : todo) {
                    Path staging = store.stage(item.id());
                    ObjectNode r;
                    try {
                        r = evaluator.evaluate(item, staging,
                                (placed, total, images) -> listener.itemProgress(item, placed, total, images));
                        store.publish(staging, item.id());
                    } catch (InvalidInputException e) {
                        Folders.deleteTree(staging);
                        if (!config.skipBadItems()) {
                            throw e;
                        }
                        store.recordBad(item, e.getMessage());
                        listener.itemSkipped(item, e.getMessage());
                        continue;
                    } catch (RuntimeException | IOException e) {
                        Folders.deleteTree(staging);
                        throw e;
                    }
                    done++;
                    listener.itemFinished(item, r, done, mine.size());
                }
            }
        }
        return summarise(store, settings, manifest.ids(), shard == null ? null : shard.toString(), start);
    }

    /**
     * Combines the output folders of shard runs into {@code out} (no model needed): their finished items are
     * copied in and the summary is computed again.
     *
     * @return the summary as written
     * @throws InvalidInputException naming the folder when one is not an evaluation output or was made with other
     *                               settings (model, precision, backend, regions, search, baselines, manifest)
     */
    public static ObjectNode merge(List<Path> inputs, Path out, EvaluationListener listener) {
        long start = System.nanoTime();
        if (inputs.isEmpty()) {
            throw InvalidInputException.forInput(INPUTS, " needs at least one folder");
        }
        ObjectNode settings = null;
        Path first = null;
        for (Path dir : inputs) {
            ObjectNode s = EvaluationStore.settingsOf(dir);
            if (settings == null) {
                settings = s;
                first = dir;
            } else {
                List<String> diff = EvaluationStore.differences("", settings, s);
                if (!diff.isEmpty()) {
                    throw InvalidInputException.forInput(INPUTS, " " + dir + " was made with other settings than " + first
                            + " (" + String.join("; ", diff) + ")");
                }
            }
        }
        try (EvaluationStore store = EvaluationStore.open(out, settings)) {
            return merge(store, settings, inputs, listener, start);
        }
    }

    private static ObjectNode merge(EvaluationStore store, ObjectNode settings, List<Path> inputs,
                                    EvaluationListener listener, long start) {
        List<String> ids = new ArrayList<>();
        settings.get("manifest").get("ids").forEach(n -> ids.add(n.asText()));
        int imported = 0;
        for (Path dir : inputs) {
            Path abs = dir.toAbsolutePath().normalize();
            if (abs.equals(store.root())) {
                continue;
            }
            for (String id : ids) {
                Path item = abs.resolve(EvaluationStore.ITEMS).resolve(id);
                if (Files.isDirectory(item) && store.importItem(item, id)) {
                    imported++;
                }
            }
        }
        listener.merged(imported);
        return summarise(store, settings, ids, null, start);
    }

    private static ObjectNode summarise(EvaluationStore store, ObjectNode settings, List<String> ids, String shard,
                                        long start) {
        Map<String, JsonNode> results = store.results(ids);
        ObjectNode summary = EvaluationSummary.compute(settings, results, store.badItems(ids), shard,
                (System.nanoTime() - start) / 1_000_000);
        store.writeSummary(summary);
        store.writeReport(summary, results);
        return (ObjectNode) EvaluationStore.asWritten(summary); // number types as a reader of summary.json sees them
    }

    /** What a resumed run or a merge must agree on (not the shard, threads or paths of the machine). */
    ObjectNode settings(Manifest m) {
        ObjectNode s = DiagnosisFiles.MAPPER.createObjectNode();
        ObjectNode man = s.putObject("manifest");
        man.put("file", m.file().getFileName().toString());
        man.put("sha256", m.sha256());
        var ids = man.putArray("ids");
        m.items().forEach(it -> ids.add(it.id()));
        s.put("model", model.name());
        s.put("modelDigest", model.digest());
        s.put("dtype", model.dtype());
        s.put("backend", model.backend());
        s.put("regions", config.regions());
        s.set("search", DiagnosisFiles.MAPPER.valueToTree(config.search()));
        var cmp = s.putArray("compare");
        config.compare().forEach(cmp::add);
        s.put("seed", config.seed());
        if (config.compare().stream().anyMatch(name -> EvaluationConfig.BASELINES.contains(name)
                && io.github.eagle4j.ExplainMethod.parse(name).sampling())) {
            // only runs that use them record them, so older output folders still resume
            s.put("baselineSamples", config.compareAtBudget() ? "eagle's budget"
                    : String.valueOf(config.explain().baselineSamples()));
        }
        s.put("maxNewTokens", config.maxNewTokens());
        s.put("diagnosisMaxNewTokens", config.diagnosisMaxNewTokens());
        return s;
    }
}
