package io.github.eagle4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.metrics.RelianceLabel;
import io.github.eagle4j.metrics.TokenReliance;

import java.awt.Image;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The per-token maps of an {@code --each-token} explanation ({@code perToken} in {@code explanation.json}): one
 * overlay per explained token in {@code tokens/}, and in the report the answer as a strip of words, each above its
 * own map, beside the joint map (as the paper's figures show them).
 */
final class TokenStrip {
    /** Folder of the per-token overlays. */
    static final String FOLDER = "tokens";
    /** Readings of a token whose own map is drawn faded: the image barely moves its probability. */
    private static final Set<RelianceLabel> UNREADABLE = Set.of(RelianceLabel.LANGUAGE_PRIOR, RelianceLabel.FLAT_LOW);
    /** Width of a map in the report's strip, in CSS pixels. */
    private static final int STRIP_WIDTH = 150;

    /** One token's map as read back from the JSON. */
    record TokenMap(int index, String token, double[] regionScores, double insertionAuc, double deletionAuc) {
    }

    private TokenStrip() {
    }

    /** The token maps of the explanation, in target order; empty when it has none. */
    static List<TokenMap> of(ExplanationView v) {
        List<TokenMap> out = new ArrayList<>();
        JsonNode per = v.json().path("perToken");
        if (!per.isArray()) {
            return out;
        }
        int n = v.regionCount();
        for (JsonNode t : per) {
            JsonNode scores = t.path("regionScores");
            if (!scores.isArray() || scores.size() != n) {
                throw new InvalidInputException("perToken entry for token " + t.path("index").asInt()
                        + ": field 'regionScores' must hold " + n + " numbers");
            }
            double[] s = new double[n];
            for (int r = 0; r < n; r++) {
                s[r] = scores.get(r).asDouble();
            }
            out.add(new TokenMap(t.path("index").asInt(), t.path("token").asText(""), s,
                    t.path("insertionAuc").asDouble(Double.NaN), t.path("deletionAuc").asDouble(Double.NaN)));
        }
        return out;
    }

    /** File name of a token's overlay inside {@link #FOLDER}: its answer index. */
    static String fileName(TokenMap t) {
        return String.format(Locale.ROOT, "overlay-%03d.png", t.index());
    }

    /** Writes {@code tokens/overlay-III.png} for every token (nothing without per-token maps). */
    static void write(ExplanationView v, Path dir) {
        List<TokenMap> maps = of(v);
        if (maps.isEmpty()) {
            return;
        }
        Path folder = dir.resolve(FOLDER);
        try {
            Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new io.github.eagle4j.EagleException("cannot create " + folder + ": " + e.getMessage(), e);
        }
        for (TokenMap t : maps) {
            BufferedImage img = MapRenderer.overlay(v.image(), v.regions(), t.regionScores(),
                    ExplanationReport.displayToken(t.token()).strip());
            ImageFiles.writePng(img, folder.resolve(fileName(t)));
        }
    }

    /** The report section, or an empty string without per-token maps. */
    static String html(ExplanationView v) {
        List<TokenMap> maps = of(v);
        if (maps.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        b.append("<section class=\"card\">\n<h2>Each token's own map</h2>\n")
                .append("<p class=\"hint\">Every explained token was searched on its own (<code>--each-token</code>), ")
                .append("sharing scored images; red = most important for that token. The first map is the joint one, ")
                .append("for all explained tokens together. A faded map belongs to a token the image barely moves (its ")
                .append("reading is language-prior or flat-low): its colours rank tiny changes.</p>\n")
                .append("<div style=\"display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start\">\n");
        figure(b, "all tokens", MapRenderer.overlay(v.image(), v.regions(), v.regionScores(), null),
                String.format(Locale.ROOT, "ins %.3f · del %.3f", v.insertionAuc(), v.deletionAuc()), true, null);
        Map<Integer, RelianceLabel> readings = readings(v);
        for (TokenMap t : maps) {
            RelianceLabel reading = readings.get(t.index());
            figure(b, ExplanationReport.displayToken(t.token()).strip(),
                    MapRenderer.overlay(v.image(), v.regions(), t.regionScores(), null),
                    String.format(Locale.ROOT, "#%d · ins %.3f · del %.3f", t.index(), t.insertionAuc(),
                            t.deletionAuc()), false,
                    reading != null && UNREADABLE.contains(reading) ? reading.jsonName() : null);
        }
        b.append("</div>\n</section>\n");
        return b.toString();
    }

    /** Each explained token's reading by answer index; empty without {@code tokenReliance}. */
    private static Map<Integer, RelianceLabel> readings(ExplanationView v) {
        Map<Integer, RelianceLabel> out = new HashMap<>();
        for (TokenReliance r : v.tokenReliance()) {
            out.put(r.index(), r.label());
        }
        return out;
    }

    /**
     * @param faded the token's reading when the image barely moves it (its map then only shows which regions move a
     *              near-constant probability by a few thousandths, so it is drawn faded and says why), else null
     */
    private static void figure(StringBuilder b, String word, BufferedImage map, String note, boolean joint,
                               String faded) {
        b.append("<figure class=\"token-map").append(faded != null ? " faded" : "").append("\"")
                .append(faded != null ? " data-reading=\"" + Html.text(faded) + "\"" : "")
                .append(" style=\"margin:0;width:").append(STRIP_WIDTH).append("px;text-align:center")
                .append(joint ? ";padding-right:10px;border-right:1px solid #ccc" : "").append("\">")
                .append("<figcaption><b>").append(Html.text(word)).append("</b></figcaption>")
                .append("<img alt=\"map of ").append(Html.text(word)).append("\" width=\"").append(STRIP_WIDTH)
                .append("\"").append(faded != null ? " style=\"opacity:.35;filter:grayscale(1)\"" : "")
                .append(" src=\"").append(Html.pngDataUri(shrunk(map))).append("\">")
                .append("<div class=\"muted\" style=\"font-size:11px\">").append(Html.text(note)).append("</div>");
        if (faded != null) {
            b.append("<div class=\"muted\" style=\"font-size:11px\">").append(Html.text(faded))
                    .append(": the image barely moves this token, so the colours rank tiny changes</div>");
        }
        b.append("</figure>\n");
    }

    /** At most twice the strip width, so that a large image does not swell the page. */
    private static BufferedImage shrunk(BufferedImage img) {
        int max = 2 * STRIP_WIDTH;
        if (img.getWidth() <= max) {
            return img;
        }
        int h = Math.max(1, img.getHeight() * max / img.getWidth());
        BufferedImage out = new BufferedImage(max, h, BufferedImage.TYPE_INT_RGB);
        out.getGraphics().drawImage(img.getScaledInstance(max, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        return out;
    }
}
