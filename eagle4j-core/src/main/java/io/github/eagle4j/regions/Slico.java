package io.github.eagle4j.regions;

import java.util.Arrays;

/**
 * SLICO clustering (Achanta et al., "SLIC Superpixels Compared to State-of-the-art Superpixel Methods",
 * TPAMI 2012, the zero-parameter variant) on CIELAB planes. Produces one cluster label per pixel; labels
 * need not be connected and some may be unused — {@link SmallRegionMerger} turns them into regions.
 *
 * <ul>
 *   <li>Seeds: {@code round(W/S)} × {@code round(H/S)} strips (at least 1 each), one seed at the centre of
 *       each strip cell (the layout OpenCV's SLIC uses, so the region count follows the seed grid), moved to
 *       the lowest Lab gradient in its 3×3 neighbourhood (skipped when S &lt; 3, where neighbourhoods of
 *       adjacent seeds overlap).</li>
 *   <li>Assignment: each cluster scans the window of radius S around its centre (radius ⌈1.5·S⌉ when
 *       S &lt; 10, as in Achanta's SLICO code); distance = d_lab² / m_k + d_xy² / S², where m_k is the
 *       largest squared Lab distance between cluster k's centre and its own pixels observed in the previous
 *       rounds (starting at 100 = 10², never decreasing, as in Achanta's SLICO code): SLICO's per-cluster
 *       adaptive compactness, with no parameter to tune. Ties go to the lower cluster index.</li>
 *   <li>Update: centres become the mean position and Lab colour of their pixels; an empty cluster keeps
 *       its centre. {@link #ITERATIONS} assignment/update rounds; the labels are those of the last
 *       assignment.</li>
 * </ul>
 *
 * <p>Everything is sequential arithmetic without randomness (per-pixel values and distances in float, sums
 * and centres in double; Java evaluates both exactly as IEEE 754 prescribes): the same input gives the same
 * labels on every platform.
 */
final class Slico {
    /** Assignment/update rounds (Achanta's default). */
    static final int ITERATIONS = 10;

    private static final double INITIAL_MAX_LAB = 100.0;

    private final int width;
    private final int height;
    private final int spacing;
    private final float[] l;
    private final float[] a;
    private final float[] b;

    Slico(int width, int height, float[][] lab, int spacing) {
        this.width = width;
        this.height = height;
        this.spacing = spacing;
        this.l = lab[0];
        this.a = lab[1];
        this.b = lab[2];
    }

    /** Seed strips along an axis of {@code length} pixels with spacing S. */
    static int strips(int length, int spacing) {
        return Math.max(1, (int) Math.floor((double) length / spacing + 0.5));
    }

    /** Runs the clustering and returns a cluster index per pixel, in raster order. */
    int[] cluster() {
        int nx = strips(width, spacing);
        int ny = strips(height, spacing);
        int k = nx * ny;
        double[] cx = new double[k];
        double[] cy = new double[k];
        double[] cl = new double[k];
        double[] ca = new double[k];
        double[] cb = new double[k];
        seed(nx, ny, cx, cy, cl, ca, cb);

        int n = width * height;
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        float[] best = new float[n];
        float[] bestColour = new float[n];
        double[] maxLab = new double[k];
        Arrays.fill(maxLab, INITIAL_MAX_LAB);
        int radius = spacing < 10 ? (int) Math.ceil(1.5 * spacing) : spacing;
        float invS2 = (float) (1.0 / ((double) spacing * spacing));

        double[] sx = new double[k];
        double[] sy = new double[k];
        double[] sl = new double[k];
        double[] sa = new double[k];
        double[] sb = new double[k];
        int[] count = new int[k];
        double[] observedMax = new double[k];

        for (int it = 0; it < ITERATIONS; it++) {
            Arrays.fill(best, Float.POSITIVE_INFINITY);
            for (int c = 0; c < k; c++) {
                int ccx = (int) Math.floor(cx[c] + 0.5);
                int ccy = (int) Math.floor(cy[c] + 0.5);
                int x0 = Math.max(0, ccx - radius);
                int x1 = Math.min(width - 1, ccx + radius);
                int y0 = Math.max(0, ccy - radius);
                int y1 = Math.min(height - 1, ccy + radius);
                float invM = (float) (1.0 / maxLab[c]);
                float kx = (float) cx[c];
                float ky = (float) cy[c];
                float kl = (float) cl[c];
                float ka = (float) ca[c];
                float kb = (float) cb[c];
                for (int y = y0; y <= y1; y++) {
                    float dy = y - ky;
                    float dy2 = dy * dy;
                    int row = y * width;
                    for (int x = x0; x <= x1; x++) {
                        int i = row + x;
                        float dl = l[i] - kl;
                        float da = a[i] - ka;
                        float db = b[i] - kb;
                        float dc = dl * dl + da * da + db * db;
                        float dx = x - kx;
                        float d = dc * invM + (dx * dx + dy2) * invS2;
                        if (d < best[i]) {
                            best[i] = d;
                            bestColour[i] = dc;
                            labels[i] = c;
                        }
                    }
                }
            }
            if (it == 0) {
                assignUncovered(labels, bestColour, cx, cy, cl, ca, cb);
            }
            if (it == ITERATIONS - 1) {
                break;
            }

            Arrays.fill(sx, 0);
            Arrays.fill(sy, 0);
            Arrays.fill(sl, 0);
            Arrays.fill(sa, 0);
            Arrays.fill(sb, 0);
            Arrays.fill(count, 0);
            Arrays.fill(observedMax, 0);
            for (int y = 0, i = 0; y < height; y++) {
                for (int x = 0; x < width; x++, i++) {
                    int c = labels[i];
                    sx[c] += x;
                    sy[c] += y;
                    sl[c] += l[i];
                    sa[c] += a[i];
                    sb[c] += b[i];
                    count[c]++;
                    if (bestColour[i] > observedMax[c]) {
                        observedMax[c] = bestColour[i];
                    }
                }
            }
            for (int c = 0; c < k; c++) {
                if (count[c] == 0) {
                    continue;
                }
                double inv = 1.0 / count[c];
                cx[c] = sx[c] * inv;
                cy[c] = sy[c] * inv;
                cl[c] = sl[c] * inv;
                ca[c] = sa[c] * inv;
                cb[c] = sb[c] * inv;
                maxLab[c] = Math.max(maxLab[c], observedMax[c]);
            }
        }
        return labels;
    }

    /**
     * Pixels no window reached in the first round (only possible next to the border of tiny images) go to
     * the spatially nearest centre, ties to the lower index. Later rounds keep a pixel's previous label
     * when no window reaches it.
     */
    private void assignUncovered(int[] labels, float[] bestColour, double[] cx, double[] cy,
                                 double[] cl, double[] ca, double[] cb) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0) {
                continue;
            }
            int x = i % width;
            int y = i / width;
            int arg = 0;
            double min = Double.POSITIVE_INFINITY;
            for (int c = 0; c < cx.length; c++) {
                double dx = x - cx[c];
                double dy = y - cy[c];
                double d = dx * dx + dy * dy;
                if (d < min) {
                    min = d;
                    arg = c;
                }
            }
            labels[i] = arg;
            double dl = l[i] - cl[arg];
            double da = a[i] - ca[arg];
            double db = b[i] - cb[arg];
            bestColour[i] = (float) (dl * dl + da * da + db * db);
        }
    }

    private void seed(int nx, int ny, double[] cx, double[] cy, double[] cl, double[] ca, double[] cb) {
        int c = 0;
        for (int j = 0; j < ny; j++) {
            int y = (int) (((2L * j + 1) * height) / (2L * ny));
            for (int i = 0; i < nx; i++, c++) {
                int x = (int) (((2L * i + 1) * width) / (2L * nx));
                int bx = x;
                int by = y;
                if (spacing >= 3) {
                    double min = Double.POSITIVE_INFINITY;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int px = x + dx;
                            int py = y + dy;
                            if (px < 0 || py < 0 || px >= width || py >= height) {
                                continue;
                            }
                            double g = gradient(px, py);
                            if (g < min) {
                                min = g;
                                bx = px;
                                by = py;
                            }
                        }
                    }
                }
                int idx = by * width + bx;
                cx[c] = bx;
                cy[c] = by;
                cl[c] = l[idx];
                ca[c] = a[idx];
                cb[c] = b[idx];
            }
        }
    }

    /** Squared Lab gradient magnitude by central differences, clamped at the border. */
    private double gradient(int x, int y) {
        int xm = Math.max(0, x - 1);
        int xp = Math.min(width - 1, x + 1);
        int ym = Math.max(0, y - 1);
        int yp = Math.min(height - 1, y + 1);
        return distance2(y * width + xp, y * width + xm) + distance2(yp * width + x, ym * width + x);
    }

    private double distance2(int i, int j) {
        double dl = l[i] - l[j];
        double da = a[i] - a[j];
        double db = b[i] - b[j];
        return dl * dl + da * da + db * db;
    }
}
