package io.github.eagle4j.report;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;

/**
 * Renders a {@link Chart} with Java2D into an image, for PNG files read by people who do not open HTML.
 * Same layout as {@link SvgChart}. A machine without fonts still gets the lines, without text.
 */
public final class ChartImage {
    private static final Color INK = new Color(0x1f2933);
    private static final Color MUTED = new Color(0x52606d);
    private static final Color GRID = new Color(0xe4e7eb);
    private static final Color PLOT = new Color(0xfbfcfd);

    private ChartImage() {
    }

    /** The chart as an RGB image of {@code 480·scale × 300·scale} pixels on white. */
    public static BufferedImage render(Chart chart, double scale) {
        int w = (int) Math.round(Chart.Layout.WIDTH * scale);
        int h = (int) Math.round(Chart.Layout.HEIGHT * scale);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.scale(scale, scale);
            paint(g, chart);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void paint(Graphics2D g, Chart chart) {
        double l = Chart.Layout.plotLeft();
        double r = Chart.Layout.plotRight();
        double t = Chart.Layout.plotTop();
        double b = Chart.Layout.plotBottom();
        g.setColor(PLOT);
        g.fill(new java.awt.geom.Rectangle2D.Double(l, t, r - l, b - t));
        g.setStroke(new BasicStroke(0.8f));
        g.setColor(GRID);
        for (double v : chart.yTicks()) {
            g.draw(new java.awt.geom.Line2D.Double(l, chart.py(v), r, chart.py(v)));
        }
        for (double v : chart.xTicks()) {
            g.draw(new java.awt.geom.Line2D.Double(chart.px(v), t, chart.px(v), b));
        }
        for (Chart.Series s : chart.series()) {
            if (s.x().length == 0) {
                continue;
            }
            Path2D.Double line = new Path2D.Double();
            for (int i = 0; i < s.x().length; i++) {
                double x = chart.px(s.x()[i]);
                double y = chart.py(s.y()[i]);
                if (i == 0) {
                    line.moveTo(x, y);
                } else {
                    line.lineTo(x, y);
                }
            }
            Color colour = new Color(s.rgb());
            if (s.fill()) {
                Path2D.Double area = new Path2D.Double(line);
                area.lineTo(chart.px(s.x()[s.x().length - 1]), b);
                area.lineTo(chart.px(s.x()[0]), b);
                area.closePath();
                g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.12f));
                g.setColor(colour);
                g.fill(area);
                g.setComposite(AlphaComposite.SrcOver);
            }
            g.setColor(colour);
            g.setStroke(new BasicStroke((float) s.width(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(line);
        }
        try {
            text(g, chart);
        } catch (RuntimeException | Error e) {
            // A machine without fonts cannot draw text; the curves are still useful.
        }
    }

    private static void text(Graphics2D g, Chart chart) {
        double l = Chart.Layout.plotLeft();
        double r = Chart.Layout.plotRight();
        double t = Chart.Layout.plotTop();
        double b = Chart.Layout.plotBottom();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        g.setFont(base.deriveFont(Font.BOLD, 13f));
        g.setColor(INK);
        g.drawString(chart.title(), (float) l, 18f);
        g.setFont(base);
        g.setColor(MUTED);
        FontMetrics fm = g.getFontMetrics();
        for (double v : chart.yTicks()) {
            String s = Chart.tickLabel(v);
            g.drawString(s, (float) (l - 6 - fm.stringWidth(s)), (float) (chart.py(v) + 4));
        }
        for (double v : chart.xTicks()) {
            String s = Chart.tickLabel(v);
            g.drawString(s, (float) (chart.px(v) - fm.stringWidth(s) / 2.0), (float) (b + 16));
        }
        g.setFont(base.deriveFont(12f));
        fm = g.getFontMetrics();
        g.drawString(chart.xLabel(), (float) ((l + r) / 2 - fm.stringWidth(chart.xLabel()) / 2.0),
                (float) (Chart.Layout.HEIGHT - 8));
        AffineTransform saved = g.getTransform();
        g.translate(17, (t + b) / 2);
        g.rotate(-Math.PI / 2);
        g.drawString(chart.yLabel(), (float) (-fm.stringWidth(chart.yLabel()) / 2.0), 0f);
        g.setTransform(saved);

        double lx = l;
        g.setFont(base.deriveFont(12f));
        fm = g.getFontMetrics();
        for (Chart.Series s : chart.series()) {
            if (!s.inLegend()) {
                continue;
            }
            g.setColor(new Color(s.rgb()));
            g.setStroke(new BasicStroke(3f));
            g.draw(new java.awt.geom.Line2D.Double(lx, 33, lx + 18, 33));
            g.setColor(INK);
            g.drawString(s.label(), (float) (lx + 23), 37f);
            lx += 23 + fm.stringWidth(s.label()) + 18;
        }
    }
}
