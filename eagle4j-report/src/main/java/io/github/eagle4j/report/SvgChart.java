package io.github.eagle4j.report;

import java.util.Locale;

/**
 * Renders a {@link Chart} as an inline {@code <svg>} element for an HTML page. Labels are escaped.
 *
 * <p>With a marker, the chart holds a hidden group {@code ID-marker} (a vertical line and a dot) that page
 * scripts move to a point; the element's {@code data-*} attributes give the plot rectangle and axis ranges
 * ({@code data-x0 data-x1 data-y0 data-y1 data-xmin data-xmax data-ymin data-ymax}) to map data to units.
 */
public final class SvgChart {
    private SvgChart() {
    }

    /**
     * The chart's SVG markup.
     *
     * @param chart  the chart
     * @param id     element id (escaped)
     * @param marker whether to include the movable step marker
     */
    public static String render(Chart chart, String id, boolean marker) {
        StringBuilder sb = new StringBuilder(4096);
        String eid = Html.attr(id);
        sb.append("<svg class=\"chart\" id=\"").append(eid).append("\" viewBox=\"0 0 ")
                .append(f(Chart.Layout.WIDTH)).append(' ').append(f(Chart.Layout.HEIGHT))
                .append("\" role=\"img\" aria-label=\"").append(Html.attr(chart.title())).append('"')
                .append(" data-x0=\"").append(f(Chart.Layout.plotLeft())).append('"')
                .append(" data-x1=\"").append(f(Chart.Layout.plotRight())).append('"')
                .append(" data-y0=\"").append(f(Chart.Layout.plotBottom())).append('"')
                .append(" data-y1=\"").append(f(Chart.Layout.plotTop())).append('"')
                .append(" data-xmin=\"").append(f(chart.xMin())).append("\" data-xmax=\"").append(f(chart.xMax())).append('"')
                .append(" data-ymin=\"").append(f(chart.yMin())).append("\" data-ymax=\"").append(f(chart.yMax())).append("\">\n");
        sb.append("<title>").append(Html.text(chart.title())).append("</title>\n");
        double l = Chart.Layout.plotLeft();
        double r = Chart.Layout.plotRight();
        double t = Chart.Layout.plotTop();
        double b = Chart.Layout.plotBottom();
        sb.append("<text class=\"chart-title\" x=\"").append(f(l)).append("\" y=\"18\">")
                .append(Html.text(chart.title())).append("</text>\n");
        sb.append("<rect class=\"plot\" x=\"").append(f(l)).append("\" y=\"").append(f(t)).append("\" width=\"")
                .append(f(r - l)).append("\" height=\"").append(f(b - t)).append("\"/>\n");
        for (double v : chart.yTicks()) {
            double y = chart.py(v);
            sb.append("<line class=\"grid\" x1=\"").append(f(l)).append("\" x2=\"").append(f(r)).append("\" y1=\"")
                    .append(f(y)).append("\" y2=\"").append(f(y)).append("\"/>");
            sb.append("<text class=\"tick\" text-anchor=\"end\" x=\"").append(f(l - 6)).append("\" y=\"").append(f(y + 4))
                    .append("\">").append(Chart.tickLabel(v)).append("</text>\n");
        }
        for (double v : chart.xTicks()) {
            double x = chart.px(v);
            sb.append("<line class=\"grid\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
                    .append(f(t)).append("\" y2=\"").append(f(b)).append("\"/>");
            sb.append("<text class=\"tick\" text-anchor=\"middle\" x=\"").append(f(x)).append("\" y=\"").append(f(b + 16))
                    .append("\">").append(Chart.tickLabel(v)).append("</text>\n");
        }
        sb.append("<text class=\"axis-label\" text-anchor=\"middle\" x=\"").append(f((l + r) / 2)).append("\" y=\"")
                .append(f(Chart.Layout.HEIGHT - 8)).append("\">").append(Html.text(chart.xLabel())).append("</text>\n");
        sb.append("<text class=\"axis-label\" text-anchor=\"middle\" transform=\"translate(13 ").append(f((t + b) / 2))
                .append(") rotate(-90)\">").append(Html.text(chart.yLabel())).append("</text>\n");

        for (Chart.Series s : chart.series()) {
            if (s.x().length == 0) {
                continue;
            }
            String colour = hex(s.rgb());
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                path.append(i == 0 ? 'M' : 'L').append(f(chart.px(s.x()[i]))).append(' ').append(f(chart.py(s.y()[i])));
            }
            if (s.fill()) {
                sb.append("<path class=\"area\" fill=\"").append(colour).append("\" d=\"").append(path)
                        .append('L').append(f(chart.px(s.x()[s.x().length - 1]))).append(' ').append(f(b))
                        .append('L').append(f(chart.px(s.x()[0]))).append(' ').append(f(b)).append("Z\"/>\n");
            }
            sb.append("<path class=\"line").append(s.inLegend() ? "" : " thin").append("\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"").append(f(s.width())).append("\" d=\"").append(path).append("\">")
                    .append("<title>").append(Html.text(s.label())).append("</title></path>\n");
        }

        double lx = l;
        for (Chart.Series s : chart.series()) {
            if (!s.inLegend()) {
                continue;
            }
            sb.append("<g class=\"legend\"><line x1=\"").append(f(lx)).append("\" x2=\"").append(f(lx + 18))
                    .append("\" y1=\"33\" y2=\"33\" stroke=\"").append(hex(s.rgb())).append("\" stroke-width=\"3\"/>")
                    .append("<text x=\"").append(f(lx + 23)).append("\" y=\"37\">").append(Html.text(s.label()))
                    .append("</text></g>\n");
            lx += 34 + 6.6 * s.label().length();
        }

        if (marker) {
            sb.append("<g class=\"marker\" id=\"").append(eid).append("-marker\" visibility=\"hidden\">")
                    .append("<line x1=\"0\" x2=\"0\" y1=\"").append(f(t)).append("\" y2=\"").append(f(b)).append("\"/>")
                    .append("<circle r=\"4.5\" cx=\"0\" cy=\"0\"/>")
                    .append("<text class=\"marker-label\" x=\"0\" y=\"").append(f(t - 5)).append("\"></text></g>\n");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** {@code #rrggbb}. */
    static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb & 0xFFFFFF);
    }

    /** A coordinate with at most two decimals. */
    static String f(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return s.equals("-0") ? "0" : s;
    }
}
