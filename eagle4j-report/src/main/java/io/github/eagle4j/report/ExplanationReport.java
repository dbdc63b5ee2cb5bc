package io.github.eagle4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Target;
import io.github.eagle4j.Version;
import io.github.eagle4j.metrics.SensitiveTokenMetrics;
import io.github.eagle4j.metrics.TokenReliance;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html} of one explanation: a single self-contained page (inline CSS and script, the image
 * and region labels embedded, charts as inline SVG, no external URL) showing the prompt and answer, the
 * region order on the image with a step slider, the insertion and deletion curves with the current step
 * marked, each answer token coloured by how much it relied on the image, the metrics, and the settings and
 * provenance. Every string from the model or the user is escaped.
 */
public final class ExplanationReport {
    /** Colour of insertion curves (HTML and PNG). */
    static final int INSERTION_RGB = 0xc2410c;
    /** Colour of deletion curves (HTML and PNG). */
    static final int DELETION_RGB = 0x2563eb;
    /** Images larger than this on their longer side are shown downscaled (keeps the page small). */
    static final int MAX_DISPLAY_SIDE = 1024;

    private ExplanationReport() {
    }

    /** The page as a string. */
    public static String html(ExplanationView v) {
        int n = v.regionCount();
        Display display = Display.of(v.image(), v.regions());
        HtmlPage page = new HtmlPage(methodTitle(v) + " explanation: " + v.answer());
        StringBuilder b = new StringBuilder(16384);
        b.append("<main class=\"page\">\n");
        header(b, v);

        // the order on the image, and the curves
        int initial = initialStep(v);
        b.append("<section class=\"grid\">\n<div class=\"card viewer\">\n<h2>Region order</h2>\n")
                .append("<p class=\"hint\">Regions in the order the search ranked them, most important first. Step <i>k</i> ")
                .append("shows the first <i>k</i> regions; the one added at step <i>k</i> is outlined. Removed regions are ")
                .append("dimmed here; the model saw them filled ").append(Html.text(v.fill())).append(".</p>\n")
                .append("<div class=\"canvas-wrap\"><canvas id=\"overlay\"")
                .append(display.width() < 400 ? " class=\"pixelated\"" : "")
                .append(" width=\"").append(display.width()).append("\" height=\"").append(display.height())
                .append("\" role=\"img\" aria-label=\"the image with the first regions of the order\"></canvas></div>\n")
                .append("<div class=\"controls\"><button type=\"button\" id=\"play\">Play</button>")
                .append("<input type=\"range\" id=\"step\" min=\"0\" max=\"").append(n).append("\" step=\"1\" value=\"")
                .append(initial).append("\" aria-label=\"step k: number of regions placed\">")
                .append("<output id=\"step-label\" for=\"step\">").append(initial).append(" / ").append(n).append("</output></div>\n")
                .append("<div class=\"modes\">")
                .append("<label><input type=\"radio\" name=\"mode\" value=\"kept\" checked> first <i>k</i> kept (insertion)</label>")
                .append("<label><input type=\"radio\" name=\"mode\" value=\"removed\"> first <i>k</i> removed (deletion)</label>")
                .append("<label><input type=\"radio\" name=\"mode\" value=\"heat\"> heat map of the first <i>k</i></label>")
                .append("<label><input type=\"checkbox\" id=\"outlines\"> region outlines</label></div>\n")
                .append("<p id=\"step-readout\" class=\"readout\" aria-live=\"polite\"></p>\n")
                .append("<p id=\"hover-readout\" class=\"readout muted\"></p>\n</div>\n");

        b.append("<div class=\"card charts\">\n<h2>Insertion and deletion</h2>\n")
                .append("<p class=\"hint\">Mean probability of the explained tokens as the regions are inserted into a blank ")
                .append("image in order (higher AUC = the first regions suffice) or deleted from the full image ")
                .append("(lower AUC = they are necessary). The x axis is the share of the image's area.")
                .append(v.targets().size() > 1 ? " Thin lines: each explained token." : "").append("</p>\n")
                .append(SvgChart.render(insertionChart(v, true), "chart-insertion", true))
                .append(SvgChart.render(deletionChart(v), "chart-deletion", true))
                .append("</div>\n</section>\n");

        tokens(b, v);
        b.append(TokenStrip.html(v));
        boolean text = TextRegionsSection.present(v);
        if (text) {
            b.append(TextRegionsSection.html(v));
        }

        b.append("<section class=\"two\">\n<div class=\"card\">\n<h2>Metrics</h2>\n").append(metrics(v).render())
                .append("</div>\n<div class=\"card\">\n<h2>Settings and provenance</h2>\n").append(provenance(v).render())
                .append("</div>\n</section>\n");
        b.append("<footer>Written by eagle4j ").append(Html.text(Version.get()))
                .append(" from <code>explanation.json</code>, <code>").append(Html.text(v.imageFile()))
                .append("</code> and <code>regions.png</code>; <code>eagle report DIR</code> writes it again. ")
                .append("Self-contained: it loads nothing from anywhere.</footer>\n</main>\n");
        b.append("<img id=\"eagle-image\" hidden alt=\"\" src=\"").append(Html.pngDataUri(display.image())).append("\">\n");
        page.add(b.toString());
        page.data("eagle-data", data(v, display, initial));
        page.script(HtmlPage.resource("explanation-report.js"));
        if (text) {
            page.data("eagle-text", TextRegionsSection.data(v));
            page.script(TextRegionsSection.SCRIPT);
        }
        return page.render();
    }

    private static void header(StringBuilder b, ExplanationView v) {
        b.append("<header class=\"top\">\n<div class=\"kicker\">eagle4j · ").append(Html.text(methodTitle(v)))
                .append(" explanation</div>\n")
                .append("<h1>Where the answer rests on the image</h1>\n<dl class=\"qa\">\n")
                .append("<dt>Prompt</dt><dd id=\"prompt\" class=\"prompt\">").append(Html.text(v.prompt())).append("</dd>\n")
                .append("<dt>Answer</dt><dd id=\"answer\" class=\"answer\">").append(Html.text(v.answer())).append("</dd>\n")
                .append("<dt>Explained</dt><dd><ul class=\"chips\" id=\"targets\">");
        for (Target t : v.targets()) {
            b.append("<li class=\"chip\"><span class=\"idx\">#").append(t.index()).append("</span><b>")
                    .append(Html.text(displayToken(t.token()).strip())).append("</b></li>");
        }
        b.append("</ul></dd>\n<dt>Result</dt><dd>").append(v.regionCount()).append(" regions · ")
                .append(Html.text(v.search())).append(v.json().path("search").isTextual() ? " search" : " (baseline)")
                .append(" · insertion AUC <b>").append(Html.num(v.insertionAuc(), 3))
                .append("</b> · deletion AUC <b>").append(Html.num(v.deletionAuc(), 3)).append("</b>");
        if (v.approximate()) {
            b.append(" <span class=\"badge\">approximate</span>");
        }
        b.append("</dd>\n</dl>\n</header>\n");
    }

    /** EAGLE, or the baseline that ordered the regions (RISE, LIME, KERNELSHAP, OCCLUSION, RANDOM). */
    private static String methodTitle(ExplanationView v) {
        return v.json().path("method").asText("eagle").toUpperCase(java.util.Locale.ROOT);
    }

    /** The step the slider starts at: the first whose insertion score reaches 90 % of the highest. */
    static int initialStep(ExplanationView v) {
        double[] ins = v.insertionCurve();
        double max = Double.NEGATIVE_INFINITY;
        for (double x : ins) {
            max = Math.max(max, x);
        }
        for (int k = 0; k < ins.length; k++) {
            if (ins[k] >= 0.9 * max) {
                return k + 1;
            }
        }
        return ins.length;
    }

    /** The insertion curve: the blank-image point, then one point per step, over the area axis. */
    static Chart insertionChart(ExplanationView v, boolean tokenLines) {
        double[] x = withFirst(0, v.areaCurve());
        List<Chart.Series> series = new ArrayList<>();
        if (tokenLines && v.targets().size() > 1) {
            for (int t = 0; t < v.targets().size(); t++) {
                double[] y = new double[v.regionCount()];
                for (int k = 0; k < y.length; k++) {
                    y[k] = v.insertionTokenCurves()[k][t];
                }
                Target target = v.targets().get(t);
                series.add(Chart.Series.thin("#" + target.index() + " " + displayToken(target.token()).strip(), x,
                        withFirst(v.blankImageProbs()[t], y), 0xe3a27f));
            }
        }
        series.add(Chart.Series.main("insertion AUC " + Html.num(v.insertionAuc(), 3), x,
                withFirst(v.blankMean(), v.insertionCurve()), INSERTION_RGB));
        return Chart.unit("Insertion: only the first k regions kept", "share of the image kept", "probability", series);
    }

    /** The deletion curve: the intact-image point, then one point per step, over the area removed. */
    static Chart deletionChart(ExplanationView v) {
        return Chart.unit("Deletion: the first k regions removed", "share of the image removed", "probability",
                List.of(Chart.Series.main("deletion AUC " + Html.num(v.deletionAuc(), 3), withFirst(0, v.areaCurve()),
                        withFirst(v.fullMean(), v.deletionCurve()), DELETION_RGB)));
    }

    /** Both curves in one chart, for {@code curves.png}. */
    static Chart combinedChart(ExplanationView v) {
        double[] x = withFirst(0, v.areaCurve());
        return Chart.unit("Insertion and deletion · " + v.targetCaption(), "share of the image inserted / deleted",
                "probability", List.of(
                        Chart.Series.main("insertion AUC " + Html.num(v.insertionAuc(), 3), x,
                                withFirst(v.blankMean(), v.insertionCurve()), INSERTION_RGB),
                        Chart.Series.main("deletion AUC " + Html.num(v.deletionAuc(), 3), x,
                                withFirst(v.fullMean(), v.deletionCurve()), DELETION_RGB)));
    }

    private static void tokens(StringBuilder b, ExplanationView v) {
        Map<Integer, TokenReliance> byIndex = new HashMap<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (TokenReliance r : v.tokenReliance()) {
            byIndex.put(r.index(), r);
            lo = Math.min(lo, r.visualReliance());
            hi = Math.max(hi, r.visualReliance());
        }
        // min–max normalisation needs two distinct values; a single token would always come out blue
        boolean rawColours = !(hi > lo);
        b.append("<section class=\"card\">\n<h2>What each token relied on</h2>\n")
                .append("<p class=\"hint\">Each explained token is coloured by its visual reliance <i>I</i> (the area its ")
                .append("probability gains as the regions are inserted), normalised across the explained tokens: red = ")
                .append("the image, blue = the language prior.")
                .append(rawColours ? " With fewer than two distinct values to normalise, tokens are coloured by their reading "
                        + "instead: red = perception, blue = language prior, white = mixed, grey-blue = flat and low." : "")
                .append(" Grey tokens were not explained. Hover a token for its numbers.</p>\n")
                .append("<div class=\"tokens\" id=\"tokens\">");
        boolean marked = v.answerTokens().stream().anyMatch(ExplanationReport::hasSpaceMarker);
        for (int i = 0; i < v.answerTokens().size(); i++) {
            String raw = v.answerTokens().get(i);
            String shown = displayToken(raw);
            if (i > 0 && (marked ? shown.startsWith(" ") : true)) {
                b.append(' ');
            }
            shown = marked ? stripLeadingSpace(shown) : shown;
            if (shown.isEmpty()) {
                shown = "·";
            }
            TokenReliance r = byIndex.get(i);
            if (r == null) {
                b.append("<span class=\"tok other\" tabindex=\"0\" data-index=\"").append(i).append("\">")
                        .append(Html.text(shown)).append("<span class=\"tip\" role=\"tooltip\">#").append(i).append(' ')
                        .append(Html.text(raw)).append("\nnot explained</span></span>");
            } else {
                double c = colourValue(r, rawColours);
                int rgb = bwr(c);
                b.append("<span class=\"tok target\" tabindex=\"0\" data-index=\"").append(i)
                        .append("\" data-reliance=\"").append(Html.num(c, 4)).append("\" style=\"background:")
                        .append(SvgChart.hex(rgb)).append(";color:").append(c < 0.18 || c > 0.82 ? "#fff" : "#1f2933")
                        .append("\">").append(Html.text(shown)).append("<span class=\"tip\" role=\"tooltip\">#").append(i)
                        .append(' ').append(Html.text(raw)).append("\nimage intact: p = ").append(Html.num(r.fullImageProb(), 3))
                        .append("\nimage blank:  p = ").append(Html.num(r.blankImageProb(), 3))
                        .append("\nreliance I = ").append(Html.num(r.visualReliance(), 3)).append(" (normalised ")
                        .append(Html.num(r.visualRelianceNormalized(), 2)).append(")\n").append(Html.text(r.label().jsonName()))
                        .append("</span></span>");
            }
        }
        b.append("</div>\n<div class=\"scale\"><span>language prior</span><span class=\"bar\"></span><span>image</span></div>\n");

        HtmlTable table = new HtmlTable("reliance").header("#", "token", "image intact", "image blank", "reliance I",
                "normalised", "reading", "insertion curve").numeric(0, 2, 3, 4, 5);
        for (int t = 0; t < v.tokenReliance().size(); t++) {
            TokenReliance r = v.tokenReliance().get(t);
            int col = targetColumn(v, r.index());
            table.rowMarkup(String.valueOf(r.index()),
                    "<span class=\"swatch\" style=\"background:" + SvgChart.hex(bwr(colourValue(r, rawColours)))
                            + "\"></span> <span class=\"mono\">" + Html.text(displayToken(r.token()).strip()) + "</span>",
                    Html.num(r.fullImageProb(), 3), Html.num(r.blankImageProb(), 3), Html.num(r.visualReliance(), 3),
                    Html.num(r.visualRelianceNormalized(), 2), Html.text(r.label().jsonName()),
                    col < 0 ? "" : sparkline(v, col));
        }
        b.append("<div class=\"scroll\">").append(table.render()).append("</div>\n</section>\n");
    }

    /**
     * The value a token is coloured by: I_t normalised across the explained tokens, or, when that is degenerate (one
     * token, or equal values), the token's reading, so that a lone token labelled perception never shows blue.
     */
    private static double colourValue(TokenReliance r, boolean byReading) {
        if (!byReading) {
            return clamp01(r.visualRelianceNormalized());
        }
        return switch (r.label()) {
            case PERCEPTION -> 0.9;
            case LANGUAGE_PRIOR -> 0.1;
            case FLAT_LOW -> 0.3;
            default -> 0.5;
        };
    }

    private static int targetColumn(ExplanationView v, int answerIndex) {
        for (int t = 0; t < v.targets().size(); t++) {
            if (v.targets().get(t).index() == answerIndex) {
                return t;
            }
        }
        return -1;
    }

    /** A small SVG of one token's insertion curve (blank point first) over the area axis. */
    private static String sparkline(ExplanationView v, int t) {
        double w = 120;
        double h = 26;
        StringBuilder pts = new StringBuilder();
        double[] area = v.areaCurve();
        pts.append("0,").append(SvgChart.f(h - 2 - (h - 4) * clamp01(v.blankImageProbs()[t])));
        for (int k = 0; k < area.length; k++) {
            pts.append(' ').append(SvgChart.f(w * clamp01(area[k]))).append(',')
                    .append(SvgChart.f(h - 2 - (h - 4) * clamp01(v.insertionTokenCurves()[k][t])));
        }
        return "<svg class=\"spark\" viewBox=\"0 0 120 26\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
                + "<line x1=\"0\" x2=\"120\" y1=\"24\" y2=\"24\"/><polyline points=\"" + pts + "\"/></svg>";
    }

    private static HtmlTable metrics(ExplanationView v) {
        HtmlTable t = new HtmlTable("metrics").cssClass("kv");
        t.row("insertion AUC (higher is better)", Html.num(v.insertionAuc(), 4));
        t.row("deletion AUC (lower is better)", Html.num(v.deletionAuc(), 4));
        t.row("highest confidence", Html.num(v.highestConfidence(), 4));
        t.row("mean probability, image intact / blank", Html.num(v.fullMean(), 4) + " / " + Html.num(v.blankMean(), 4));
        SensitiveTokenMetrics s = v.sensitive();
        if (s == null) {
            t.row("sensitive tokens", "none (no explained token gains more than the threshold from the image)");
        } else {
            List<String> names = new ArrayList<>();
            for (int i : s.targets()) {
                if (i >= 0 && i < v.targets().size()) {
                    names.add(displayToken(v.targets().get(i).token()).strip());
                }
            }
            t.row("sensitive tokens", s.targets().length + " of " + v.targets().size() + ": " + String.join(" ", names));
            t.row("sensitive insertion AUC", Html.num(s.insertionAuc(), 4));
            t.row("sensitive deletion AUC", Html.num(s.deletionAuc(), 4));
            t.row("sensitive highest confidence", Html.num(s.highestConfidence(), 4));
        }
        for (Map.Entry<String, Boolean> e : v.pointingGame().entrySet()) {
            t.rowMarkup(Html.text("pointing game (" + e.getKey() + ")"), e.getValue()
                    ? "<span class=\"badge ok\">hit</span> the top region touches the object"
                    : "<span class=\"badge no\">miss</span> the top region lies outside the object");
        }
        t.row("regions", String.valueOf(v.regionCount()));
        t.row("images scored (forward passes)", String.format(java.util.Locale.ROOT, "%,d", v.forwardPasses()));
        if (v.scorerCalls() >= 0) {
            t.row("scorer calls", String.valueOf(v.scorerCalls()));
        }
        t.row("time", Html.num(v.elapsedMs() / 1000.0, 1) + " s");
        t.row("exactness", v.exactness());
        String certificate = certificateLine(v.json().path("certificate"), v.regionCount());
        if (certificate != null) {
            t.row("certificate", certificate);
        }
        t.row("approximate", v.approximate() ? "yes" : "no");
        return t;
    }

    /** One line of what the search vouches for, or {@code null} for explanations written before certificates. */
    static String certificateLine(JsonNode c, int n) {
        if (!c.isObject()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT, "%d of %d steps verified (best of a full scoring), %d searched",
                c.path("stepsVerified").asInt(), n, c.path("stepsSearched").asInt()));
        int rest = c.path("stepsOrderedOtherwise").asInt();
        if (rest > 0) {
            sb.append(String.format(java.util.Locale.ROOT, ", %d ordered by %s", rest, c.path("tailOrder").asText()));
        }
        if (c.path("budget").isNumber()) {
            sb.append(String.format(java.util.Locale.ROOT, "; budget %,d images", c.path("budget").asLong()));
        }
        JsonNode v = c.path("verification");
        if (v.isObject()) {
            sb.append(String.format(java.util.Locale.ROOT, "; re-check: %d of %d sampled steps agree "
                    + "(their region was the best of a full scoring, %,d images)", v.path("agreements").asInt(), v.path("stepsChecked").asInt(),
                    v.path("images").asLong()));
        }
        return sb.toString();
    }

    private static HtmlTable provenance(ExplanationView v) {
        HtmlTable t = new HtmlTable("provenance").cssClass("kv");
        t.row("search", v.search());
        t.row("λ1 (sufficiency)", Html.num(v.lambda1(), 3));
        t.row("λ2 (necessity)", Html.num(v.lambda2(), 3));
        t.row("fill", v.fill());
        flatten("", v.provenance(), t, v.search());
        return t;
    }

    /** One row per leaf of the provenance object, keys joined with dots; values as text or compact JSON. */
    private static void flatten(String prefix, JsonNode node, HtmlTable t, String search) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode value = e.getValue();
            if (key.equals("search") && value.asText().equals(search)) {
                continue; // already the first row
            }
            if (value.isObject() && value.size() > 0) {
                flatten(key + ".", value, t, search);
            } else if (value.isNull()) {
                t.row(key, "–");
            } else if (value.isValueNode()) {
                t.row(key, value.asText());
            } else {
                t.row(key, value.toString());
            }
        }
    }

    private static ObjectNode data(ExplanationView v, Display display, int initial) {
        ObjectNode d = ExplanationJson.MAPPER.createObjectNode();
        int n = v.regionCount();
        d.put("width", display.width());
        d.put("height", display.height());
        d.put("n", n);
        d.put("initial", initial);
        ArrayNode order = d.putArray("order");
        for (int r : v.order()) {
            order.add(r);
        }
        put(d, "area", withFirst(0, v.areaCurve()));
        put(d, "ins", withFirst(v.blankMean(), v.insertionCurve()));
        put(d, "del", withFirst(v.fullMean(), v.deletionCurve()));
        put(d, "scores", v.regionScores());
        put(d, "regionArea", v.regions().areaFractions());
        ObjectNode labels = d.putObject("labels");
        LabelCodec.Encoded enc = LabelCodec.encode(display.labels(), n);
        labels.put("encoding", enc.encoding());
        labels.put("data", enc.base64());
        return d;
    }

    private static void put(ObjectNode d, String name, double[] values) {
        ArrayNode a = d.putArray(name);
        for (double x : values) {
            a.add(x);
        }
    }

    static double[] withFirst(double first, double[] rest) {
        double[] out = new double[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    /** matplotlib's {@code bwr} colour map at v ∈ [0, 1]: blue, white at 0.5, red. */
    static int bwr(double v) {
        double r = v < 0.5 ? 2 * v : 1.0;
        double g = v < 0.5 ? 2 * v : 2 * (1 - v);
        double b = v < 0.5 ? 1.0 : 2 * (1 - v);
        return ((int) Math.round(r * 255) << 16) | ((int) Math.round(g * 255) << 8) | (int) Math.round(b * 255);
    }

    private static boolean hasSpaceMarker(String token) {
        return !token.isEmpty() && (token.charAt(0) == 'Ġ' || token.charAt(0) == '▁' || token.charAt(0) == ' ');
    }

    /** A token as text: the BPE/SentencePiece space markers as spaces, the BPE newline marker as ↵. */
    public static String displayToken(String token) {
        return token.replace('Ġ', ' ').replace('▁', ' ').replace("Ċ", "↵");
    }

    private static String stripLeadingSpace(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return s.substring(i);
    }

    private static double clamp01(double v) {
        return Double.isNaN(v) ? 0.5 : (v < 0 ? 0 : (v > 1 ? 1 : v));
    }

    /**
     * The image and labels at display size: unchanged up to {@link #MAX_DISPLAY_SIDE} pixels on the longer
     * side, else scaled down (image by area averaging, labels by nearest neighbour).
     */
    record Display(BufferedImage image, int[] labels, int width, int height) {
        static Display of(RgbImage img, RegionSet regions) {
            int w = img.width();
            int h = img.height();
            int side = Math.max(w, h);
            if (side <= MAX_DISPLAY_SIDE) {
                BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                bi.getRaster().setDataElements(0, 0, w, h, img.pixels());
                return new Display(bi, regions.labels(), w, h);
            }
            double s = (double) MAX_DISPLAY_SIDE / side;
            int dw = Math.max(1, (int) Math.round(w * s));
            int dh = Math.max(1, (int) Math.round(h * s));
            int[] px = new int[dw * dh];
            int[] lab = new int[dw * dh];
            for (int y = 0; y < dh; y++) {
                int y0 = (int) ((long) y * h / dh);
                int y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * h / dh));
                for (int x = 0; x < dw; x++) {
                    int x0 = (int) ((long) x * w / dw);
                    int x1 = Math.max(x0 + 1, (int) ((long) (x + 1) * w / dw));
                    long r = 0;
                    long g = 0;
                    long b = 0;
                    for (int yy = y0; yy < y1; yy++) {
                        for (int xx = x0; xx < x1; xx++) {
                            int p = img.rgb(xx, yy);
                            r += (p >> 16) & 255;
                            g += (p >> 8) & 255;
                            b += p & 255;
                        }
                    }
                    long c = (long) (y1 - y0) * (x1 - x0);
                    px[y * dw + x] = (int) ((r + c / 2) / c) << 16 | (int) ((g + c / 2) / c) << 8 | (int) ((b + c / 2) / c);
                    lab[y * dw + x] = regions.label((x0 + x1) / 2, (y0 + y1) / 2);
                }
            }
            BufferedImage bi = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
            bi.getRaster().setDataElements(0, 0, dw, dh, px);
            return new Display(bi, lab, dw, dh);
        }
    }

    /** Compact label encodings for the page: run lengths or raw 16-bit values, whichever is smaller. */
    static final class LabelCodec {
        /** Label value for a pixel in no region. */
        static final int NONE = 0xFFFF;

        record Encoded(String encoding, String base64) {
        }

        private LabelCodec() {
        }

        /**
         * {@code rle16}: little-endian 16-bit pairs (id, run length ≤ 65535) in raster order; {@code raw16}:
         * one little-endian 16-bit id per pixel. Unlabelled pixels (and ids ≥ 65535) become {@link #NONE}.
         */
        static Encoded encode(int[] labels, int n) {
            int runs = 0;
            for (int i = 0; i < labels.length; ) {
                int j = i;
                while (j < labels.length && labels[j] == labels[i] && j - i < 0xFFFF) {
                    j++;
                }
                runs++;
                i = j;
            }
            if (runs * 2L < labels.length) {
                ByteBuffer buf = ByteBuffer.allocate(runs * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < labels.length; ) {
                    int j = i;
                    while (j < labels.length && labels[j] == labels[i] && j - i < 0xFFFF) {
                        j++;
                    }
                    buf.putShort((short) id(labels[i], n)).putShort((short) (j - i));
                    i = j;
                }
                return new Encoded("rle16", Base64.getEncoder().encodeToString(buf.array()));
            }
            ByteBuffer buf = ByteBuffer.allocate(labels.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int l : labels) {
                buf.putShort((short) id(l, n));
            }
            return new Encoded("raw16", Base64.getEncoder().encodeToString(buf.array()));
        }

        private static int id(int label, int n) {
            return label < 0 || label >= n || label >= NONE ? NONE : label;
        }
    }
}
