/**
 * Writers over one result model: {@code explanation.json} is canonical ({@link io.github.eagle4j.report.ExplanationJson}),
 * every other file is a view of it ({@link io.github.eagle4j.report.ExplanationWriter}): PNG maps, overlays and
 * curves, and the self-contained {@code report.html} ({@link io.github.eagle4j.report.ExplanationReport}).
 *
 * <h2>Building another report page (e.g. an evaluation run)</h2>
 * A page type is a function from a summary model to an {@link io.github.eagle4j.report.HtmlPage}; the blocks are
 * shared, so every page gets the same look and the same safety rules:
 * <ul>
 *   <li>{@link io.github.eagle4j.report.HtmlPage}: the document, the shared style sheet, a Content-Security-Policy
 *       with no network and only the page's own scripts (by hash), JSON data blocks;</li>
 *   <li>{@link io.github.eagle4j.report.Html}: escaping for text and attributes (use it for every string from a
 *       model, a user or a data set), safe JSON data blocks, PNG {@code data:} URIs, locale-free numbers;</li>
 *   <li>{@link io.github.eagle4j.report.HtmlTable}: tables whose plain cells are escaped ({@code kv} class for
 *       key–value tables, numeric columns right-aligned);</li>
 *   <li>{@link io.github.eagle4j.report.Chart} with {@link io.github.eagle4j.report.SvgChart} (inline SVG, optional
 *       step marker) and {@link io.github.eagle4j.report.ChartImage} (the same chart as a PNG).</li>
 * </ul>
 * <pre>{@code
 * HtmlPage page = new HtmlPage("Evaluation: " + datasetName);
 * page.add("<main class=\"page\"><section class=\"card\"><h2>Mean curves</h2>")
 *     .add(SvgChart.render(Chart.unit("Insertion", "share of the image kept", "probability", series), "ins", false))
 *     .add("</section><section class=\"card\">")
 *     .add(new HtmlTable("samples").header("sample", "insertion AUC").numeric(1).row(id, Html.num(auc, 4)).render())
 *     .add("</section></main>");
 * AtomicFiles.write(dir.resolve("report.html"), temp -> Files.writeString(temp, page.render()));
 * }</pre>
 * <p>The files and every field of {@code explanation.json}: docs/architecture.md.
 */
package io.github.eagle4j.report;
