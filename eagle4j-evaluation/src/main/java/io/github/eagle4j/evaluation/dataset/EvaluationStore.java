package io.github.eagle4j.evaluation.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.EagleException;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.evaluation.output.DiagnosisFiles;
import io.github.eagle4j.evaluation.output.Folders;
import io.github.eagle4j.imageio.AtomicFiles;
import io.github.eagle4j.report.EvaluationReport;
import io.github.eagle4j.report.ExplanationWriter;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The output folder of {@code eagle evaluate}:
 * <pre>
 *   evaluate.json        the run's settings and the manifest's item ids (a re-run must match them)
 *   items/&lt;id&gt;/          one finished item: explanation files, diagnosis.json (labelled), baselines.json, result.json
 *   items/.&lt;id&gt;.partial-*  an item being written (staging); moved to items/&lt;id&gt; in one rename when complete
 *   summary.json         the summary of every finished item
 *   evaluate.lock        while a run works here: its process id and host (a second run is refused)
 * </pre>
 * An item folder exists only once complete, so a kill at any moment loses at most the item in progress, whose
 * staging folder the next run deletes and redoes.
 */
public final class EvaluationStore implements AutoCloseable {
    /** The run's settings. */
    public static final String SETTINGS = "evaluate.json";
    /** The summary. */
    public static final String SUMMARY = "summary.json";
    /** The folder of the items. */
    public static final String ITEMS = "items";

    /** What a bad item's folder holds instead of a result (a run with skipped bad items). */
    public static final String BAD = "bad.json";

    private final Path root;
    private final Path items;
    private final List<String> methods = new ArrayList<>();
    private final OutputLock lock;

    private EvaluationStore(Path root, JsonNode settings, OutputLock lock) {
        this.root = root;
        this.items = root.resolve(ITEMS);
        this.lock = lock;
        methods.add("eagle");
        settings.path("compare").forEach(n -> methods.add(n.asText()));
    }

    /**
     * Opens (creating) an output folder for runs with {@code settings} and takes its lock ({@code evaluate.lock},
     * released by {@link #close()}): a new or empty folder gets the settings; a folder of an earlier run must have
     * the same settings.
     *
     * @throws InvalidInputException naming the folder when it is foreign, holds a run with other settings or is in
     *                               use by another live run
     */
    public static EvaluationStore open(Path out, ObjectNode settings) {
        Path root = out.toAbsolutePath().normalize();
        Path file = root.resolve(SETTINGS);
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw InvalidInputException.forInput(DataSetEvaluator.OUT, " " + out + " is a file, not a folder");
        }
        // emptiness before the settings: a run that holds the folder may write them in between, and a folder seen
        // non-empty only because of them is that run's (the lock then says it is in use)
        if (Files.isDirectory(root) && !isEmpty(root) && !Files.isRegularFile(file)) {
            throw InvalidInputException.forInput(DataSetEvaluator.OUT, " " + out + " is a non-empty folder without " + SETTINGS
                    + "; refusing to write into it (choose a new or empty folder)");
        }
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw InvalidInputException.forInput(DataSetEvaluator.OUT, " " + out + ": cannot create it (" + e.getMessage() + ")");
        }
        OutputLock lock = OutputLock.acquire(root, out);
        try {
            return open(out, root, settings, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EvaluationStore open(Path out, Path root, ObjectNode settings, OutputLock lock) {
        removeTemporaryFiles(root);
        Path file = root.resolve(SETTINGS);
        if (Files.isRegularFile(file)) {
            JsonNode earlier = read(file, DataSetEvaluator.OUT, " " + out + ": " + SETTINGS);
            List<String> diff = differences("", earlier, asWritten(settings));
            if (!diff.isEmpty()) {
                throw InvalidInputException.forInput(DataSetEvaluator.OUT, " " + out + " holds results made with other settings ("
                        + String.join("; ", diff) + "); use another output folder or the same settings");
            }
        } else {
            if (!isEmpty(root)) {
                throw InvalidInputException.forInput(DataSetEvaluator.OUT, " " + out + " is a non-empty folder without " + SETTINGS
                        + "; refusing to write into it (choose a new or empty folder)");
            }
            AtomicFiles.write(file, temp -> DiagnosisFiles.MAPPER.writeValue(temp.toFile(), settings));
        }
        try {
            Files.createDirectories(root.resolve(ITEMS));
        } catch (IOException e) {
            throw InvalidInputException.forInput(DataSetEvaluator.OUT, " " + out + ": cannot create " + ITEMS + " (" + e.getMessage() + ")");
        }
        return new EvaluationStore(root, settings, lock);
    }

    /** Reads the settings of an existing output folder (for merging). */
    public static ObjectNode settingsOf(Path dir) {
        Path file = dir.toAbsolutePath().normalize().resolve(SETTINGS);
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.forInput(DataSetEvaluator.INPUTS, " " + dir + " is not an eagle evaluate output (no " + SETTINGS + ")");
        }
        JsonNode n = read(file, DataSetEvaluator.INPUTS, " " + dir + ": " + SETTINGS);
        if (!(n instanceof ObjectNode o)) {
            throw InvalidInputException.forInput(DataSetEvaluator.INPUTS, " " + dir + ": " + SETTINGS + " is not a JSON object");
        }
        return o;
    }

    /** The output folder (absolute). */
    public Path root() {
        return root;
    }

    /** The folder of a finished item. */
    public Path itemDir(String id) {
        return items.resolve(id);
    }

    /**
     * True when the item's folder is complete: a valid result.json (every field a summary reads, for every method
     * of the run), explanation.json and, for a labelled item, diagnosis.json. A corrupt result.json (a disk
     * fault, an edit) makes the item unfinished, so the next run redoes it.
     */
    public boolean finished(String id, boolean labelled) {
        Path dir = itemDir(id);
        return Files.isRegularFile(dir.resolve(ExplanationWriter.JSON))
                && (!labelled || Files.isRegularFile(dir.resolve(DiagnosisFiles.JSON)))
                && validResult(dir.resolve(ItemEvaluator.RESULT), id, methods, labelled);
    }

    /** True when {@code file} is a result of item {@code id} with every field a summary reads. */
    static boolean validResult(Path file, String id, List<String> methods, Boolean labelled) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        JsonNode r;
        try {
            r = DiagnosisFiles.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            return false;
        }
        return ItemEvaluator.isComplete(r, id, methods) && (labelled == null || r.path("labelled").asBoolean() == labelled);
    }

    /** True when the item's folder holds its result (what summaries read). */
    public boolean hasResult(String id) {
        return Files.isRegularFile(itemDir(id).resolve(ItemEvaluator.RESULT));
    }

    /**
     * Deletes what a killed run left of these items: their staging folders, and item folders that are not
     * complete (only possible if something other than eagle wrote into them). Other items' staging folders
     * are left alone, so shards sharing one folder do not disturb each other.
     *
     * @return how many leftovers were deleted
     */
    public int clean(Map<String, Boolean> labelledById) {
        int removed = 0;
        try (Stream<Path> s = Files.list(items)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                int partial = name.lastIndexOf(".partial-");
                boolean staging = name.startsWith(".") && partial > 0 && labelledById.containsKey(name.substring(1, partial));
                boolean incomplete = labelledById.containsKey(name) && !finished(name, labelledById.get(name));
                if (staging || incomplete) {
                    Folders.deleteTree(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new EagleException("cannot list " + items + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /** A fresh staging folder for an item. */
    public Path stage(String id) {
        try {
            return Files.createTempDirectory(items, "." + id + ".partial-");
        } catch (IOException e) {
            throw new EagleException("cannot create a staging folder in " + items + ": " + e.getMessage(), e);
        }
    }

    /** Moves a complete staging folder into place in one rename. */
    public void publish(Path staging, String id) {
        Path target = itemDir(id);
        try {
            try {
                Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target);
            }
        } catch (IOException e) {
            throw new EagleException("cannot move " + staging + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Copies another folder's finished item in (through a staging folder); false when it is already here. */
    public boolean importItem(Path fromItemDir, String id) {
        if (hasResult(id)) {
            return false;
        }
        boolean bad = !Files.isRegularFile(fromItemDir.resolve(ItemEvaluator.RESULT));
        if (bad ? !Files.isRegularFile(fromItemDir.resolve(BAD)) : !validResult(fromItemDir.resolve(ItemEvaluator.RESULT), id, methods, null)) {
            return false; // a corrupt item stays missing (the summary says so) rather than poisoning the merge
        }
        clean(Map.of(id, false));
        Path staging = stage(id);
        try (Stream<Path> walk = Files.walk(fromItemDir)) {
            for (Path p : walk.toList()) {
                Path dest = staging.resolve(fromItemDir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            Folders.deleteTree(staging);
            throw new EagleException("cannot copy " + fromItemDir + ": " + e.getMessage(), e);
        }
        publish(staging, id);
        return true;
    }

    /** The results of the given ids that are here, in the given order. */
    public Map<String, JsonNode> results(List<String> ids) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String id : ids) {
            Path file = itemDir(id).resolve(ItemEvaluator.RESULT);
            if (Files.isRegularFile(file)) {
                out.put(id, read(file, file.toString()));
            }
        }
        return out;
    }

    /**
     * Records a bad item: a folder holding only {@code bad.json} (id, manifest line, reason). It counts as missing,
     * and the next run removes it and tries the item again.
     */
    public void recordBad(Manifest.Item item, String reason) {
        ObjectNode bad = DiagnosisFiles.MAPPER.createObjectNode();
        bad.put("id", item.id());
        bad.put("line", item.line());
        bad.put("error", reason);
        Path staging = stage(item.id());
        AtomicFiles.write(staging.resolve(BAD), temp -> DiagnosisFiles.MAPPER.writeValue(temp.toFile(), bad));
        publish(staging, item.id());
    }

    /** The {@code bad.json} records of the given ids that have no result, in the given order. */
    public List<JsonNode> badItems(List<String> ids) {
        List<JsonNode> out = new ArrayList<>();
        for (String id : ids) {
            Path file = itemDir(id).resolve(BAD);
            if (!hasResult(id) && Files.isRegularFile(file)) {
                out.add(read(file, file.toString()));
            }
        }
        return out;
    }

    /** Releases the folder's lock. */
    @Override
    public void close() {
        lock.close();
    }

    /** Writes {@code summary.json} atomically. */
    public void writeSummary(ObjectNode summary) {
        AtomicFiles.write(root.resolve(SUMMARY), temp -> DiagnosisFiles.MAPPER.writeValue(temp.toFile(), summary));
    }

    /** Writes the run's {@code report.html} beside {@code summary.json}: the comparison and one row per item. */
    public void writeReport(JsonNode summary, Map<String, JsonNode> results) {
        List<EvaluationReport.Item> items = new ArrayList<>();
        results.forEach((id, r) -> items.add(new EvaluationReport.Item(id, r,
                itemDir(id).resolve("overlay.png"))));
        EvaluationReport.write(summary, items, root);
    }

    /** The tree as it reads back from JSON (number node types as the parser makes them). */
    public static JsonNode asWritten(JsonNode tree) {
        try {
            return DiagnosisFiles.MAPPER.readTree(DiagnosisFiles.MAPPER.writeValueAsString(tree));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Path file, String what) {
        return read(file, null, what);
    }

    /** Reads a JSON file; a bad one is refused naming {@code input} (an API input) when given, else {@code what}. */
    private static JsonNode read(Path file, String input, String what) {
        try {
            return DiagnosisFiles.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            String problem = what + " is not readable JSON (" + e.getMessage() + ")";
            throw input == null ? new InvalidInputException(problem) : InvalidInputException.forInput(input, problem);
        }
    }

    /** Human-readable differences between two settings trees (paths joined with dots). */
    public static List<String> differences(String path, JsonNode a, JsonNode b) {
        List<String> out = new ArrayList<>();
        if (a.isObject() && b.isObject()) {
            Set<String> names = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                String p = path.isEmpty() ? n : path + "." + n;
                JsonNode x = a.get(n);
                JsonNode y = b.get(n);
                if (x == null || y == null) {
                    out.add(p + ": " + (x == null ? "absent" : brief(x)) + " vs " + (y == null ? "absent" : brief(y)));
                } else {
                    out.addAll(differences(p, x, y));
                }
            }
        } else if (!a.equals(b)) {
            out.add((path.isEmpty() ? "settings" : path) + ": " + brief(a) + " vs " + brief(b));
        }
        return out;
    }

    private static String brief(JsonNode n) {
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** Deletes the temporary files that killed runs left while writing the folder's own files (hidden, harmless). */
    private static void removeTemporaryFiles(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".tmp") && (n.startsWith("." + SETTINGS + ".") || n.startsWith("." + SUMMARY + ".")
                        || n.startsWith(".report.html."))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException ignored) {
            // best effort: they are hidden and harmless
        }
    }

    /** True when {@code dir} holds nothing but a lock and the temporary file of settings a killed run was writing. */
    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            Iterator<String> it = s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(OutputLock.FILE) && !n.startsWith("." + OutputLock.FILE + ".")
                            && !n.startsWith("." + SETTINGS + ".")).iterator();
            return !it.hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
