package io.github.eagle4j.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.Exactness;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.Ordering;
import io.github.eagle4j.Provenance;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenExplanation;
import io.github.eagle4j.Version;
import io.github.eagle4j.imageio.AtomicFiles;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.imageio.LabelMaps;
import io.github.eagle4j.metrics.SensitiveTokenMetrics;
import io.github.eagle4j.metrics.TokenReliance;
import io.github.eagle4j.search.SearchCertificate;
import io.github.eagle4j.search.StepVerification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes and reads {@code explanation.json}, the canonical output; every other view is rendered from it.
 * Field names are the contract of docs/architecture.md (camelCase; arrays over steps k = 1..N).
 */
public final class ExplanationJson {
    /** Shared mapper: pretty-printed, doubles as shortest round-trip decimals, no locale involved. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private ExplanationJson() {
    }

    /**
     * The version of the JSON formats eagle4j writes ({@code explanation.json}, {@code diagnosis.json},
     * {@code summary.json}), their first field {@code schemaVersion}: an integer raised when a field is removed,
     * renamed or changes meaning; adding a field keeps it (docs/architecture.md, "Result model").
     */
    public static final int SCHEMA_VERSION = 1;

    /** The JSON tree of an explanation. */
    public static ObjectNode toTree(Explanation e) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("prompt", e.task().prompt());
        root.put("answer", e.task().answer());
        ArrayNode tokens = root.putArray("answerTokens");
        e.task().answerTokens().forEach(tokens::add);
        ArrayNode targets = root.putArray("targets");
        for (Target t : e.targets()) {
            targets.addObject().put("index", t.index()).put("token", t.token()).put("id", t.id());
        }
        root.put("regionCount", e.regionCount());
        ArrayNode order = root.putArray("order");
        for (int r : e.curves().order()) {
            order.add(r);
        }
        putArray(root, "insertionCurve", e.curves().insertionCurve());
        putArray(root, "deletionCurve", e.curves().deletionCurve());
        putArray(root, "areaCurve", e.curves().areaCurve());
        putArray(root, "objectiveCurve", e.curves().objectiveCurve());
        putMatrix(root, "insertionTokenCurves", e.curves().insertionTokenCurves());
        putMatrix(root, "deletionTokenCurves", e.curves().deletionTokenCurves());
        putArray(root, "fullImageProbs", e.metrics().fullImageProbs());
        putArray(root, "blankImageProbs", e.metrics().blankImageProbs());
        root.put("insertionAuc", e.metrics().insertionAuc());
        root.put("deletionAuc", e.metrics().deletionAuc());
        root.put("highestConfidence", e.metrics().highestConfidence());
        SensitiveTokenMetrics s = e.metrics().sensitive();
        if (s == null) {
            root.putNull("sensitiveTokens");
        } else {
            ObjectNode sn = root.putObject("sensitiveTokens");
            ArrayNode idx = sn.putArray("targets");
            for (int t : s.targets()) {
                idx.add(t);
            }
            sn.put("insertionAuc", s.insertionAuc());
            sn.put("deletionAuc", s.deletionAuc());
            sn.put("highestConfidence", s.highestConfidence());
        }
        putArray(root, "regionScores", e.regionScores());
        ArrayNode reliance = root.putArray("tokenReliance");
        for (TokenReliance r : e.metrics().tokenReliance()) {
            reliance.addObject()
                    .put("index", r.index())
                    .put("token", r.token())
                    .put("fullImageProb", r.fullImageProb())
                    .put("blankImageProb", r.blankImageProb())
                    .put("visualReliance", r.visualReliance())
                    .put("visualRelianceNormalized", r.visualRelianceNormalized())
                    .put("label", r.label().jsonName());
        }
        root.put("method", e.ordering().method().cliName());
        root.put("search", e.ordering().search() == null ? null : e.ordering().search().cliName());
        root.put("lambda1", e.ordering().lambda1());
        root.put("lambda2", e.ordering().lambda2());
        root.put("fill", e.ordering().fill().cliName());
        root.put("forwardPasses", e.cost().forwardPasses());
        root.put("scorerCalls", e.cost().scorerCalls());
        root.put("elapsedMs", e.cost().elapsedMs());
        root.put("exactness", e.ordering().exactness().jsonName());
        if (e.ordering().exactness() == Exactness.EXACT_IF_SUBMODULAR) {
            root.put("orderMatchesFullGreedy", "unknown");
        }
        root.put("approximate", e.ordering().approximate());
        root.set("certificate", certificate(e.ordering().certificate(), e.regionCount()));
        if (!e.perToken().isEmpty()) {
            ArrayNode per = root.putArray("perToken");
            for (TokenExplanation t : e.perToken()) {
                ObjectNode tn = per.addObject();
                tn.put("index", t.target().index());
                tn.put("token", t.target().token());
                tn.put("id", t.target().id());
                ArrayNode o = tn.putArray("order");
                for (int r : t.order()) {
                    o.add(r);
                }
                putArray(tn, "regionScores", t.regionScores());
                tn.put("insertionAuc", t.insertionAuc());
                tn.put("deletionAuc", t.deletionAuc());
                tn.put("exactness", t.exactness().jsonName());
                tn.put("imagesAsked", t.imagesAsked());
                tn.set("certificate", certificate(t.certificate(), e.regionCount()));
            }
        }
        if (e.curves().anyInterpolated()) {
            ArrayNode interp = root.putArray("interpolated");
            for (boolean b : e.curves().interpolated()) {
                interp.add(b);
            }
        }
        root.set("provenance", provenance(e.provenance(), e.ordering()));
        return root;
    }

    /**
     * The provenance object: the record's fields plus {@code method} and {@code search} from the ordering, in the
     * order eagle4j has always written them (a baseline's fields follow {@code method}, a search's its name).
     */
    static ObjectNode provenance(Provenance p, Ordering o) {
        // a baseline has no search (and no search settings)
        return provenance(p, o.method().cliName(), o.search() == null ? null : o.search().cliName());
    }

    /** The provenance object with the method's and the search's names as given (the text search has no Ordering). */
    static ObjectNode provenance(Provenance p, String method, String search) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("tool", p.tool());
        node.put("version", p.version());
        node.put("method", method);
        Provenance.BaselineRun b = p.baseline();
        if (b != null) {
            node.set("methodSettings", MAPPER.valueToTree(b.settings()));
            putArray(node, "methodScores", b.scores());
            node.put("methodImages", b.images());
            node.put("curveImages", b.curveImages());
        }
        node.put("backend", p.backend());
        node.put("model", p.model());
        node.put("precision", p.precision());
        node.put("segmenter", p.segmentation().segmenter());
        node.set("segmenterSettings", MAPPER.valueToTree(p.segmentation().settings()));
        node.put("regionCount", p.regionCount());
        node.put("unlabelledPixels", p.unlabelledPixels());
        node.put("imageWidth", p.imageWidth());
        node.put("imageHeight", p.imageHeight());
        if (p.searchSettings() != null) {
            node.put("search", search);
            node.set("searchSettings", MAPPER.valueToTree(p.searchSettings()));
        }
        node.put("sensitivityThreshold", p.sensitivityThreshold());
        if (p.eachToken()) {
            node.put("eachToken", true);
        }
        if (!p.scorerStatistics().isEmpty()) {
            node.set("scorerStatistics", MAPPER.valueToTree(p.scorerStatistics()));
        }
        if (p.seed() == null) {
            node.putNull("seed");
        } else {
            node.put("seed", p.seed());
        }
        return node;
    }

    /** The certificate object of docs/search.md. */
    static ObjectNode certificate(SearchCertificate c, int n) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("stepsVerified", c.stepsVerified());
        node.put("stepsSearched", c.stepsSearched());
        node.put("stepsOrderedOtherwise", n - c.stepsSearched());
        node.put("tailOrder", c.tailOrder());
        if (c.budget() < 0) {
            node.putNull("budget");
        } else {
            node.put("budget", c.budget());
        }
        StepVerification v = c.verification();
        if (v == null) {
            node.putNull("verification");
        } else {
            ObjectNode vn = node.putObject("verification");
            vn.put("stepsChecked", v.steps().size());
            vn.put("agreements", v.agreements());
            vn.put("images", v.images());
            vn.put("seed", v.seed());
            ArrayNode steps = vn.putArray("steps");
            v.steps().forEach(steps::add);
            ArrayNode agreed = vn.putArray("agreed");
            v.agreed().forEach(agreed::add);
        }
        return node;
    }

    /** Adds extra top-level fields (e.g. pointing game results) to a tree before writing. */
    public static void putAll(ObjectNode root, Map<String, Object> extra) {
        extra.forEach((k, v) -> root.set(k, MAPPER.valueToTree(v)));
    }

    /** Writes the tree to {@code file} atomically (temporary file in the same folder, then a move). */
    public static void write(ObjectNode tree, Path file) {
        AtomicFiles.write(file, temp -> MAPPER.writeValue(temp.toFile(), tree));
    }

    /**
     * Reads an explanation folder's {@code explanation.json} and the files it names (the image, field
     * {@code image}, default {@code image.png}; the region map {@code regions.png}) into the data every view
     * needs. See {@link ExplanationView} for why this is a view model and not the core record.
     *
     * @param file the {@code explanation.json} file; the other files are read from its folder
     * @throws InvalidInputException with one line naming the file when the JSON is missing or corrupt, has a
     *                               {@code schemaVersion} this version does not read, lacks a field, or a file it
     *                               names is missing, unreadable or does not fit
     */
    public static ExplanationView read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(Files.isDirectory(file) ? file + " is a folder, not an explanation file"
                    : "explanation file " + file + " does not exist");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("explanation file " + file + " is not valid JSON: "
                    + e.getOriginalMessage().replace('\n', ' '), e);
        } catch (IOException e) {
            throw new InvalidInputException("explanation file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidInputException("explanation file " + file + " does not hold a JSON object");
        }
        JsonNode version = tree.get("schemaVersion");
        // files written before schemaVersion existed are version 1
        if (version != null && !(version.canConvertToInt() && version.isIntegralNumber()
                && version.asInt() >= 1 && version.asInt() <= SCHEMA_VERSION)) {
            throw new InvalidInputException("explanation file " + file + " has schemaVersion " + version
                    + "; this eagle4j " + Version.get() + " reads schemaVersion 1 to " + SCHEMA_VERSION);
        }
        Path dir = file.toAbsolutePath().getParent();
        String imageName = tree.path("image").asText(ExplanationView.DEFAULT_IMAGE);
        if (imageName.isEmpty() || imageName.contains("/") || imageName.contains("\\") || imageName.equals("..")
                || imageName.equals(".")) {
            throw new InvalidInputException(file + ": field 'image' must name a file in the same folder, got '"
                    + imageName + "'");
        }
        RgbImage image = ImageFiles.read(dir.resolve(imageName));
        Path regionsFile = dir.resolve(ExplanationWriter.REGIONS);
        LabelMaps.LabelMap map = LabelMaps.read(regionsFile);
        RegionSet regions;
        try {
            regions = RegionSet.fromLabels(map.width(), map.height(), map.labels());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("regions file " + regionsFile + ": " + e.getMessage(), e);
        }
        if (regions.width() != image.width() || regions.height() != image.height()) {
            throw new InvalidInputException("regions file " + regionsFile + " is " + regions.width() + "x"
                    + regions.height() + " but the image " + imageName + " is " + image.width() + "x" + image.height());
        }
        return ExplanationView.of(tree, image, regions, file.toString());
    }

    private static void putArray(ObjectNode root, String name, double[] values) {
        ArrayNode a = root.putArray(name);
        for (double v : values) {
            a.add(v);
        }
    }

    private static void putMatrix(ObjectNode root, String name, double[][] values) {
        ArrayNode a = root.putArray(name);
        for (double[] row : values) {
            ArrayNode r = a.addArray();
            for (double v : row) {
                r.add(v);
            }
        }
    }
}
