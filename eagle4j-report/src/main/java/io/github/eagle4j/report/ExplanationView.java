package io.github.eagle4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Target;
import io.github.eagle4j.metrics.SensitiveTokenMetrics;
import io.github.eagle4j.metrics.RelianceLabel;
import io.github.eagle4j.metrics.TokenReliance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the views of one explanation show ({@code report.html}, {@code overlay.png},
 * {@code attribution.png}, {@code curves.png}), read from the {@code explanation.json} tree plus the image and
 * the region partition it names.
 *
 * <p>This is a report-side view model rather than the core {@link io.github.eagle4j.Explanation}: it is
 * built from the JSON tree both when an explanation is first written and when {@code eagle report}
 * regenerates the views, so the two produce identical files, and it also carries fields that live only in
 * the JSON (the pointing game, the image file name, anything a later tool adds: see {@link #json}).
 *
 * @param json                 the whole {@code explanation.json} tree
 * @param prompt               the prompt (untrusted: escape before display)
 * @param answer               the answer (untrusted)
 * @param answerTokens         the answer's tokens (untrusted)
 * @param targets              the explained tokens
 * @param order                region ids, most important first (length N)
 * @param insertionCurve       mean target probability with the first k regions kept, k = 1..N
 * @param deletionCurve        mean target probability with the first k regions removed
 * @param areaCurve            fraction of the image in the first k regions
 * @param insertionTokenCurves {@code [k][target]}
 * @param fullImageProbs       per target, intact image
 * @param blankImageProbs      per target, every region removed
 * @param insertionAuc         insertion AUC
 * @param deletionAuc          deletion AUC
 * @param highestConfidence    highest point of the insertion curve
 * @param sensitive            metrics over sensitive targets, or {@code null}
 * @param regionScores         attribution per region id
 * @param tokenReliance        per target, image versus language prior
 * @param search               search name, or for a baseline's explanation the baseline's name (field {@code method})
 * @param lambda1              λ1
 * @param lambda2              λ2
 * @param fill                 fill name
 * @param forwardPasses        images scored
 * @param scorerCalls          batches sent to the scorer, or −1 when not recorded
 * @param elapsedMs            wall time
 * @param exactness            exactness of the order
 * @param approximate          whether curves or scores are approximate
 * @param pointingGame         pointing-game hits by kind ({@code box}, {@code mask}); empty when not scored
 * @param provenance           the provenance object (untrusted values)
 * @param imageFile            file name of the image in the folder
 * @param image                the explained image
 * @param regions              the region partition
 */
public record ExplanationView(JsonNode json, String prompt, String answer, List<String> answerTokens,
                              List<Target> targets, int[] order, double[] insertionCurve, double[] deletionCurve,
                              double[] areaCurve, double[][] insertionTokenCurves, double[] fullImageProbs,
                              double[] blankImageProbs, double insertionAuc, double deletionAuc,
                              double highestConfidence, SensitiveTokenMetrics sensitive, double[] regionScores,
                              List<TokenReliance> tokenReliance, String search, double lambda1, double lambda2,
                              String fill, long forwardPasses, long scorerCalls, long elapsedMs, String exactness,
                              boolean approximate, Map<String, Boolean> pointingGame, JsonNode provenance,
                              String imageFile, RgbImage image, RegionSet regions) {

    /** Default name of the image file in an explanation folder (older folders have no {@code image} field). */
    public static final String DEFAULT_IMAGE = "image.png";

    /** N, the number of regions. */
    public int regionCount() {
        return order.length;
    }

    /** Mean probability of the targets on the intact image: the first point of the deletion curve. */
    public double fullMean() {
        return mean(fullImageProbs);
    }

    /** Mean probability of the targets with every region removed: the first point of the insertion curve. */
    public double blankMean() {
        return mean(blankImageProbs);
    }

    /**
     * The explained tokens joined by spaces, space markers ({@code Ġ ▁}) removed, shortened to about 60
     * characters: a caption for images.
     */
    public String targetCaption() {
        String s = String.join(" ", targets.stream().map(t -> ExplanationReport.displayToken(t.token()).strip()).toList());
        return s.length() <= 60 ? s : s.substring(0, 59) + "…";
    }

    /**
     * Builds the view from an {@code explanation.json} tree, checking that every array fits N and the
     * targets.
     *
     * @param source names the JSON in error messages (e.g. its path)
     * @throws InvalidInputException naming {@code source} and the field when a field is missing or malformed
     */
    public static ExplanationView of(JsonNode json, RgbImage image, RegionSet regions, String source) {
        Fields f = new Fields(json, source);
        int n = f.integer("regionCount");
        int[] order = f.ints("order");
        if (order.length != n) {
            throw f.bad("order", "has " + order.length + " region ids but regionCount is " + n);
        }
        boolean[] seen = new boolean[n];
        for (int r : order) {
            if (r < 0 || r >= n || seen[r]) {
                throw f.bad("order", "is not a permutation of the region ids 0.." + (n - 1));
            }
            seen[r] = true;
        }
        if (regions.regionCount() != n) {
            throw new InvalidInputException(source + ": regionCount is " + n + " but the region map has "
                    + regions.regionCount() + " regions");
        }
        if (regions.width() != image.width() || regions.height() != image.height()) {
            throw new InvalidInputException(source + ": the region map is " + regions.width() + "x" + regions.height()
                    + " but the image is " + image.width() + "x" + image.height());
        }
        List<Target> targets = new ArrayList<>();
        for (JsonNode t : f.array("targets")) {
            targets.add(new Target(t.path("index").asInt(), t.path("token").asText(""), t.path("id").asLong()));
        }
        if (targets.isEmpty()) {
            throw f.bad("targets", "is empty");
        }
        int tc = targets.size();
        double[] fullProbs = f.doubles("fullImageProbs", tc);
        double[] blankProbs = f.doubles("blankImageProbs", tc);
        List<String> tokens = new ArrayList<>();
        for (JsonNode t : f.array("answerTokens")) {
            tokens.add(t.asText(""));
        }
        SensitiveTokenMetrics sensitive = null;
        JsonNode s = json.get("sensitiveTokens");
        if (s != null && s.isObject()) {
            Fields sf = new Fields(s, source + " sensitiveTokens");
            sensitive = new SensitiveTokenMetrics(sf.ints("targets"), sf.number("insertionAuc"),
                    sf.number("deletionAuc"), sf.number("highestConfidence"));
        }
        List<TokenReliance> reliance = new ArrayList<>();
        for (JsonNode r : f.array("tokenReliance")) {
            RelianceLabel label;
            try {
                label = RelianceLabel.parse(r.path("label").asText(""));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(source + ": tokenReliance: " + e.getMessage(), e);
            }
            reliance.add(new TokenReliance(r.path("index").asInt(), r.path("token").asText(""),
                    r.path("fullImageProb").asDouble(Double.NaN), r.path("blankImageProb").asDouble(Double.NaN),
                    r.path("visualReliance").asDouble(Double.NaN), r.path("visualRelianceNormalized").asDouble(Double.NaN),
                    label));
        }
        Map<String, Boolean> pointing = new LinkedHashMap<>();
        JsonNode pg = json.get("pointingGame");
        if (pg != null && pg.isObject()) {
            pg.fields().forEachRemaining(e -> {
                if (e.getValue().isBoolean()) {
                    pointing.put(e.getKey(), e.getValue().asBoolean());
                }
            });
        }
        JsonNode provenance = json.get("provenance");
        if (provenance == null || !provenance.isObject()) {
            provenance = ExplanationJson.MAPPER.createObjectNode();
        }
        String imageFile = json.path("image").asText(DEFAULT_IMAGE);
        return new ExplanationView(json, f.text("prompt"), f.text("answer"), List.copyOf(tokens), List.copyOf(targets),
                order, f.doubles("insertionCurve", n), f.doubles("deletionCurve", n), f.doubles("areaCurve", n),
                f.matrix("insertionTokenCurves", n, tc), fullProbs, blankProbs,
                f.number("insertionAuc"), f.number("deletionAuc"), f.number("highestConfidence"), sensitive,
                f.doubles("regionScores", n), List.copyOf(reliance),
                json.path("search").isTextual() ? f.text("search") : f.text("method"), f.number("lambda1"),
                f.number("lambda2"), f.text("fill"), f.longValue("forwardPasses"),
                json.path("scorerCalls").asLong(-1), f.longValue("elapsedMs"), json.path("exactness").asText(""),
                json.path("approximate").asBoolean(false), Collections.unmodifiableMap(pointing), provenance,
                imageFile, image, regions);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** Typed access to the fields of a JSON object, with messages that name the source and the field. */
    private static final class Fields {
        private final JsonNode node;
        private final String source;

        Fields(JsonNode node, String source) {
            this.node = node;
            this.source = source;
        }

        InvalidInputException bad(String field, String what) {
            return new InvalidInputException(source + ": field '" + field + "' " + what);
        }

        private JsonNode get(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                throw bad(field, "is missing");
            }
            return v;
        }

        String text(String field) {
            JsonNode v = get(field);
            if (!v.isTextual()) {
                throw bad(field, "is not a string");
            }
            return v.asText();
        }

        double number(String field) {
            JsonNode v = get(field);
            if (!v.isNumber()) {
                throw bad(field, "is not a number");
            }
            return v.asDouble();
        }

        int integer(String field) {
            JsonNode v = get(field);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw bad(field, "is not an integer");
            }
            return v.asInt();
        }

        long longValue(String field) {
            JsonNode v = get(field);
            if (!v.isIntegralNumber()) {
                throw bad(field, "is not an integer");
            }
            return v.asLong();
        }

        JsonNode array(String field) {
            JsonNode v = get(field);
            if (!v.isArray()) {
                throw bad(field, "is not an array");
            }
            return v;
        }

        int[] ints(String field) {
            JsonNode a = array(field);
            int[] out = new int[a.size()];
            for (int i = 0; i < out.length; i++) {
                if (!a.get(i).isIntegralNumber()) {
                    throw bad(field, "holds a value that is not an integer at position " + i);
                }
                out[i] = a.get(i).asInt();
            }
            return out;
        }

        double[] doubles(String field, int expected) {
            return doubles(field, array(field), expected);
        }

        private double[] doubles(String field, JsonNode a, int expected) {
            if (a.size() != expected) {
                throw bad(field, "has " + a.size() + " values, expected " + expected);
            }
            double[] out = new double[a.size()];
            for (int i = 0; i < out.length; i++) {
                if (!a.get(i).isNumber()) {
                    throw bad(field, "holds a value that is not a number at position " + i);
                }
                out[i] = a.get(i).asDouble();
            }
            return out;
        }

        double[][] matrix(String field, int rows, int cols) {
            JsonNode a = array(field);
            if (a.size() != rows) {
                throw bad(field, "has " + a.size() + " rows, expected " + rows);
            }
            double[][] out = new double[rows][];
            for (int k = 0; k < rows; k++) {
                if (!a.get(k).isArray()) {
                    throw bad(field, "row " + k + " is not an array");
                }
                out[k] = doubles(field, a.get(k), cols);
            }
            return out;
        }
    }
}
