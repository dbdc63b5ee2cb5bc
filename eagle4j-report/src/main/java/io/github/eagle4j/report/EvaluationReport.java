package io.github.eagle4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.imageio.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html} of an evaluation run: the method comparison, hallucination statistics, and one row per
 * item with its overlay embedded and a link to the item's own report. Built from {@code summary.json} and the
 * items' {@code result.json} alone, so a merged or resumed run renders the same page.
 */
public final class EvaluationReport {
    private EvaluationReport() {
    }

    /**
     * One evaluated item.
     *
     * @param id      the manifest id (folder {@code items/<id>})
     * @param result  the item's {@code result.json}
     * @param overlay the item's {@code overlay.png}, or {@code null}
     */
    public record Item(String id, JsonNode result, Path overlay) {
    }

    /** Renders the page. */
    public static String render(JsonNode summary, List<Item> items) {
        HtmlPage page = new HtmlPage("eagle4j evaluation: " + summary.path("manifest").path("file").asText());
        page.style(".thumb{width:96px;height:auto;image-rendering:pixelated;border-radius:4px}"
                + ".items td{vertical-align:middle}.hit{color:#1a7f37;font-weight:600}.miss{color:#b42318}");
        StringBuilder b = new StringBuilder("<main class=\"page\">\n<header class=\"top\">\n")
                .append("<div class=\"kicker\">eagle4j · EAGLE evaluation</div>\n<h1>")
                .append(Html.text(summary.path("manifest").path("file").asText())).append("</h1>\n<p class=\"hint\">")
                .append(summary.path("evaluated").asInt()).append(" of ").append(summary.path("manifest").path("items").asInt())
                .append(" items evaluated").append(summary.path("complete").asBoolean() ? "" : " (incomplete)")
                .append(". Insertion AUC and highest confidence: higher is better; deletion AUC: lower is better; ")
                .append("pointing game: share of items whose most important region touches the object.</p>\n</header>\n");
        b.append("<section class=\"card\">\n<h2>Methods</h2>\n").append(methods(summary).render());
        b.append("<p class=\"hint\">").append(Html.text(summary.path("protocol").asText())).append("</p>\n</section>\n");
        String curves = meanCurves(summary);
        if (!curves.isEmpty()) {
            b.append("<section class=\"card\">\n<h2>Mean curves</h2>\n").append(curves)
                    .append("<p class=\"hint\">Each item's curve resampled at area steps of 0.05, then averaged; thin lines: ")
                    .append("mean ± one standard deviation over the items.</p>\n</section>\n");
        }
        JsonNode h = summary.get("hallucination");
        if (h != null && !h.isNull()) {
            b.append("<section class=\"card\">\n<h2>Hallucination diagnosis</h2>\n").append(hallucination(h).render())
                    .append("<p class=\"hint\">").append(Html.text(h.path("note").asText())).append("</p>\n</section>\n");
        }
        b.append("<section class=\"card\">\n<h2>Items</h2>\n").append(itemTable(items, methodNames(summary)).render())
                .append("</section>\n");
        HtmlTable settings = new HtmlTable("settings").cssClass("kv");
        summary.path("settings").properties().forEach(e -> settings.row(e.getKey(), e.getValue().isValueNode()
                ? e.getValue().asText() : e.getValue().toString()));
        settings.row("version", summary.path("version").asText());
        b.append("<section class=\"card\">\n<h2>Settings</h2>\n").append(settings.render()).append("</section>\n</main>\n");
        return page.add(b.toString()).render();
    }

    /** Renders and writes {@code report.html} into {@code dir} (created when missing) atomically. */
    public static void write(JsonNode summary, List<Item> items, Path dir) {
        String html = render(summary, items);
        ExplanationWriter.createFolder(dir);
        AtomicFiles.write(dir.resolve("report.html"), temp -> Files.writeString(temp, html));
    }

    private static List<String> methodNames(JsonNode summary) {
        List<String> names = new ArrayList<>();
        summary.path("methods").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static HtmlTable methods(JsonNode summary) {
        HtmlTable t = new HtmlTable("methods").header("method", "items", "insertion AUC", "deletion AUC", "highest",
                "sensitive ins", "sensitive del", "pointing box", "pointing mask", "AMCR", "CSR@10%", "images",
                "images / item", "ins AUC ÷ ref", "del AUC ÷ ref", "images ÷ ref", "tail < 95 % of ref", "time")
                .numeric(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
        JsonNode methodsMs = summary.path("timing").path("methodsMs");
        for (Map.Entry<String, JsonNode> e : summary.path("methods").properties()) {
            JsonNode m = e.getValue();
            JsonNode h = m.path("hallucination");
            t.row(e.getKey(), m.path("items").asText(), num(m.get("insertionAuc")), num(m.get("deletionAuc")),
                    num(m.get("highestConfidence")), num(m.path("sensitive").get("insertionAuc")),
                    num(m.path("sensitive").get("deletionAuc")), num(m.path("pointingGame").path("box").get("rate")),
                    num(m.path("pointingGame").path("mask").get("rate")), num(h.get("amcr")), percent(h.get("csrHonest")),
                    m.path("forwardPasses").asText(),
                    m.path("imagesPerItem").isNumber() ? Html.num(m.get("imagesPerItem").asDouble(), 0) : "–",
                    num(m.path("vsReference").get("insertionAucRatio")), num(m.path("vsReference").get("deletionAucRatio")),
                    num(m.path("vsReference").get("imagesRatio")), percent(m.path("vsReference").get("tailShare")),
                    methodsMs.has(e.getKey()) ? Html.num(methodsMs.get(e.getKey()).asLong() / 1000.0, 1) + " s" : "–");
        }
        return t;
    }

    /** Colours of the methods' curves, in the order the summary lists them. */
    private static final int[] PALETTE = {0x1F5FBF, 0x9A9A9A, 0xD9822B, 0x1A7F37, 0x8250DF, 0xB42318, 0x0B7285};

    /** Two charts (insertion, deletion): per method its mean curve and mean ± sd; empty when no item has curves. */
    private static String meanCurves(JsonNode summary) {
        List<Chart.Series> ins = new ArrayList<>();
        List<Chart.Series> del = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, JsonNode> e : summary.path("methods").properties()) {
            JsonNode c = e.getValue().get("meanCurves");
            int colour = PALETTE[i++ % PALETTE.length];
            if (c == null || c.isNull()) {
                continue;
            }
            double[] x = doubles(c.get("area"));
            addBand(ins, e.getKey(), x, doubles(c.get("insertionMean")), doubles(c.get("insertionSd")), colour);
            addBand(del, e.getKey(), x, doubles(c.get("deletionMean")), doubles(c.get("deletionSd")), colour);
        }
        if (ins.isEmpty()) {
            return "";
        }
        return SvgChart.render(Chart.unit("Insertion (mean over items)", "share of the image kept", "probability", ins),
                "mean-insertion", false)
                + SvgChart.render(Chart.unit("Deletion (mean over items)", "share of the image removed", "probability", del),
                "mean-deletion", false);
    }

    private static void addBand(List<Chart.Series> out, String method, double[] x, double[] mean, double[] sd, int rgb) {
        double[] lo = new double[mean.length];
        double[] hi = new double[mean.length];
        for (int k = 0; k < mean.length; k++) {
            lo[k] = Math.max(0, mean[k] - sd[k]);
            hi[k] = Math.min(1, mean[k] + sd[k]);
        }
        out.add(new Chart.Series(method, x, mean, rgb, 2.2, false, true));
        out.add(Chart.Series.thin(method + " − sd", x, lo, rgb));
        out.add(Chart.Series.thin(method + " + sd", x, hi, rgb));
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a == null ? 0 : a.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = a.get(k).isNumber() ? a.get(k).asDouble() : Double.NaN;
        }
        return out;
    }

    private static HtmlTable hallucination(JsonNode h) {
        return new HtmlTable("hallucination").cssClass("kv")
                .row("labelled items", h.path("labelled").asText())
                .row("answered wrongly", h.path("hallucinated").asText())
                .row("corrected at some k", h.path("corrected").asText())
                .row("never corrected", h.path("neverCorrected").asText())
                .row("AMCR (lower is better)", num(h.get("amcr")))
                .row("CSR@10% (honest denominator)", percent(h.get("csrHonest")))
                .row("CSR@10% (authors' denominator)", percent(h.get("csrAuthors")));
    }

    private static HtmlTable itemTable(List<Item> items, List<String> methods) {
        List<String> header = new ArrayList<>(List.of("overlay", "item", "answer", "targets"));
        for (String m : methods) {
            header.add(m + " ins / del");
            header.add(m + " pointing");
        }
        HtmlTable t = new HtmlTable("items").cssClass("items").header(header.toArray(String[]::new));
        for (Item item : items) {
            JsonNode r = item.result();
            List<String> cells = new ArrayList<>();
            cells.add(thumbnail(item.overlay()));
            String href = "items/" + item.id() + "/report.html";
            cells.add("<a href=\"" + Html.attr(href) + "\">" + Html.text(item.id()) + "</a>");
            cells.add(Html.text(r.path("answer").asText()));
            List<String> targets = new ArrayList<>();
            r.path("targets").forEach(tg -> targets.add(tg.path("token").asText()));
            cells.add(Html.text(String.join(" ", targets)));
            for (String m : methods) {
                JsonNode mm = r.path("methods").path(m);
                cells.add(Html.text(num(mm.get("insertionAuc")) + " / " + num(mm.get("deletionAuc"))));
                cells.add(pointing(mm.path("pointingGame")));
            }
            t.rowMarkup(cells.toArray(String[]::new));
        }
        return t;
    }

    /** The mask's result where the item has a mask, else the box's; null or absent means not applicable. */
    private static String pointing(JsonNode pg) {
        JsonNode mask = pg.path("mask");
        JsonNode box = pg.path("box");
        JsonNode hit = mask.isBoolean() ? mask : box.isBoolean() ? box : null;
        if (hit == null) {
            return "–";
        }
        return hit.asBoolean() ? "<span class=\"hit\">hit</span>" : "<span class=\"miss\">miss</span>";
    }

    private static String thumbnail(Path overlay) {
        if (overlay == null || !Files.isRegularFile(overlay)) {
            return "";
        }
        try {
            BufferedImage img = ImageIO.read(overlay.toFile());
            return img == null ? "" : "<img class=\"thumb\" alt=\"\" src=\"" + Html.pngDataUri(img) + "\">";
        } catch (IOException e) {
            return ""; // a missing picture must not cost the whole report
        }
    }

    private static String num(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? "–" : Html.num(v.asDouble(), 4);
    }

    private static String percent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? "–" : Html.percent(v.asDouble());
    }
}
