package io.github.eagle4j.report;

import java.util.List;
import java.util.Objects;

/**
 * A line chart as data: axes, ranges and series. Rendered as inline SVG for HTML pages ({@link SvgChart})
 * and with Java2D for PNG files ({@link ChartImage}), so a chart looks the same in both.
 *
 * @param title  chart title
 * @param xLabel x axis label
 * @param yLabel y axis label
 * @param xMin   left end of the x axis
 * @param xMax   right end of the x axis
 * @param yMin   bottom of the y axis
 * @param yMax   top of the y axis
 * @param series the lines, drawn in order (later on top)
 */
public record Chart(String title, String xLabel, String yLabel, double xMin, double xMax, double yMin, double yMax,
                    List<Series> series) {

    public Chart {
        series = List.copyOf(series);
        if (!(xMax > xMin) || !(yMax > yMin)) {
            throw new IllegalArgumentException("empty axis range");
        }
    }

    /** A chart over [0, 1] × [0, 1], e.g. probability against area fraction. */
    public static Chart unit(String title, String xLabel, String yLabel, List<Series> series) {
        return new Chart(title, xLabel, yLabel, 0, 1, 0, 1, series);
    }

    /**
     * One line.
     *
     * @param label    legend text (and tooltip); may come from a model: renderers escape it
     * @param x        x values
     * @param y        y values, as many as x
     * @param rgb      colour, packed {@code 0xRRGGBB}
     * @param width    stroke width in chart units (1 = thin)
     * @param fill     whether to shade the area under the line
     * @param inLegend whether the legend lists it
     */
    public record Series(String label, double[] x, double[] y, int rgb, double width, boolean fill, boolean inLegend) {
        public Series {
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(y, "y");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + label + ": " + x.length + " x values but " + y.length + " y values");
            }
        }

        /** A main line: 2 units wide, shaded, in the legend. */
        public static Series main(String label, double[] x, double[] y, int rgb) {
            return new Series(label, x, y, rgb, 2.2, true, true);
        }

        /** A thin secondary line, not in the legend (its label is a tooltip). */
        public static Series thin(String label, double[] x, double[] y, int rgb) {
            return new Series(label, x, y, rgb, 1.0, false, false);
        }
    }

    /** Plot layout shared by both renderers, in chart units. */
    static final class Layout {
        static final double WIDTH = 480;
        static final double HEIGHT = 310;
        static final double LEFT = 50;
        static final double RIGHT = 14;
        static final double TOP = 60;
        static final double BOTTOM = 44;
        static final int TICKS = 5;

        static double plotLeft() {
            return LEFT;
        }

        static double plotRight() {
            return WIDTH - RIGHT;
        }

        static double plotTop() {
            return TOP;
        }

        static double plotBottom() {
            return HEIGHT - BOTTOM;
        }

        private Layout() {
        }
    }

    /** Horizontal position of x in chart units. */
    double px(double x) {
        double t = (clamp(x, xMin, xMax) - xMin) / (xMax - xMin);
        return Layout.plotLeft() + t * (Layout.plotRight() - Layout.plotLeft());
    }

    /** Vertical position of y in chart units. */
    double py(double y) {
        double t = (clamp(y, yMin, yMax) - yMin) / (yMax - yMin);
        return Layout.plotBottom() - t * (Layout.plotBottom() - Layout.plotTop());
    }

    /** Tick values on the x axis. */
    double[] xTicks() {
        return ticks(xMin, xMax);
    }

    /** Tick values on the y axis. */
    double[] yTicks() {
        return ticks(yMin, yMax);
    }

    private static double[] ticks(double lo, double hi) {
        double[] t = new double[Layout.TICKS];
        for (int i = 0; i < t.length; i++) {
            t[i] = lo + (hi - lo) * i / (t.length - 1);
        }
        return t;
    }

    /** A tick label: as few decimals as the ticks need. */
    static String tickLabel(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return Html.num(v, 0);
        }
        if (Math.abs(v * 10 - Math.rint(v * 10)) < 1e-9) {
            return Html.num(v, 1);
        }
        return Html.num(v, 2);
    }

    private static double clamp(double v, double lo, double hi) {
        if (Double.isNaN(v)) {
            return lo;
        }
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
