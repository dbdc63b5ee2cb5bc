package io.github.eagle4j.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table for a report page: a header row and rows of cells. Cells given as strings are escaped; cells
 * given through {@link #rowMarkup} are trusted markup. Numeric columns can be right-aligned.
 *
 * <pre>{@code
 * new HtmlTable("metrics").header("metric", "value").row("insertion AUC", "0.812").render()
 * }</pre>
 */
public final class HtmlTable {
    private final String id;
    private final List<String> header = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();
    private boolean[] numeric = new boolean[0];
    private String cssClass = "table";

    /** A table with an element id (escaped; may be {@code null}). */
    public HtmlTable(String id) {
        this.id = id;
    }

    /** Column headings (escaped). */
    public HtmlTable header(String... headings) {
        for (String h : headings) {
            header.add(Html.text(h));
        }
        return this;
    }

    /** Marks columns as numeric: right-aligned, tabular figures. */
    public HtmlTable numeric(int... columns) {
        int max = 0;
        for (int c : columns) {
            max = Math.max(max, c + 1);
        }
        boolean[] n = new boolean[Math.max(max, numeric.length)];
        System.arraycopy(numeric, 0, n, 0, numeric.length);
        for (int c : columns) {
            n[c] = true;
        }
        numeric = n;
        return this;
    }

    /** An extra CSS class on the table element (e.g. {@code kv} for key–value tables). */
    public HtmlTable cssClass(String extra) {
        cssClass = "table " + extra;
        return this;
    }

    /** A row of plain-text cells (escaped). */
    public HtmlTable row(String... cells) {
        List<String> r = new ArrayList<>(cells.length);
        for (String c : cells) {
            r.add(Html.text(c));
        }
        rows.add(r);
        return this;
    }

    /** A row of trusted markup cells: the caller escaped every value in them. */
    public HtmlTable rowMarkup(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    /** Number of body rows. */
    public int size() {
        return rows.size();
    }

    /** The table element. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("<table class=\"").append(Html.attr(cssClass)).append('"');
        if (id != null) {
            sb.append(" id=\"").append(Html.attr(id)).append('"');
        }
        sb.append(">\n");
        if (!header.isEmpty()) {
            sb.append("<thead><tr>");
            for (int c = 0; c < header.size(); c++) {
                sb.append("<th").append(isNumeric(c) ? " class=\"num\"" : "").append(" scope=\"col\">")
                        .append(header.get(c)).append("</th>");
            }
            sb.append("</tr></thead>\n");
        }
        sb.append("<tbody>\n");
        for (List<String> r : rows) {
            sb.append("<tr>");
            for (int c = 0; c < r.size(); c++) {
                boolean rowHeader = c == 0 && cssClass.contains("kv");
                String tag = rowHeader ? "th" : "td";
                sb.append('<').append(tag).append(rowHeader ? " scope=\"row\"" : "")
                        .append(isNumeric(c) ? " class=\"num\"" : "").append('>')
                        .append(r.get(c)).append("</").append(tag).append('>');
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
        return sb.toString();
    }

    private boolean isNumeric(int column) {
        return column < numeric.length && numeric[column];
    }
}
