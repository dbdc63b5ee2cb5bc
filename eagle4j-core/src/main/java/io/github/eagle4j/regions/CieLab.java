package io.github.eagle4j.regions;

import io.github.eagle4j.RgbImage;

/**
 * sRGB (8-bit, D65) to CIELAB conversion for superpixel clustering.
 *
 * <p>Same formulas as BoofCV's {@code ColorLab.rgbToLab} (sRGB inverse gamma, the sRGB→XYZ matrix, CIE
 * ε = 0.008856 and κ = 903.3, D65 white), but computed with {@link StrictMath} so the result, and therefore
 * the label map, is bit-identical on every platform.
 */
final class CieLab {
    private static final double EPSILON = 0.008856;
    private static final double KAPPA = 903.3;
    private static final double XR = 0.950456;
    private static final double ZR = 1.088754;
    private static final double[] INV_GAMMA = new double[256];

    static {
        for (int i = 0; i < 256; i++) {
            double v = i / 255.0;
            INV_GAMMA[i] = v <= 0.04045 ? v / 12.92 : StrictMath.pow((v + 0.055) / 1.055, 2.4);
        }
    }

    private CieLab() {
    }

    /**
     * The L*, a*, b* planes of {@code image} in raster order, as {@code [3][pixels]}: computed in double,
     * stored as float (4 bytes per value keeps large images affordable).
     */
    static float[][] planes(RgbImage image) {
        int n = image.pixelCount();
        float[] l = new float[n];
        float[] a = new float[n];
        float[] b = new float[n];
        int lastRgb = -1;
        float lastL = 0;
        float lastA = 0;
        float lastB = 0;
        for (int i = 0; i < n; i++) {
            int rgb = image.rgbAt(i);
            if (rgb != lastRgb) {
                double r = INV_GAMMA[(rgb >>> 16) & 0xFF];
                double g = INV_GAMMA[(rgb >>> 8) & 0xFF];
                double bl = INV_GAMMA[rgb & 0xFF];
                double x = 0.412453 * r + 0.357580 * g + 0.180423 * bl;
                double y = 0.212671 * r + 0.715160 * g + 0.072169 * bl;
                double z = 0.019334 * r + 0.119193 * g + 0.950227 * bl;
                double fx = f(x / XR);
                double fy = f(y);
                double fz = f(z / ZR);
                lastL = (float) (116.0 * fy - 16.0);
                lastA = (float) (500.0 * (fx - fy));
                lastB = (float) (200.0 * (fy - fz));
                lastRgb = rgb;
            }
            l[i] = lastL;
            a[i] = lastA;
            b[i] = lastB;
        }
        return new float[][] {l, a, b};
    }

    private static double f(double t) {
        return t > EPSILON ? StrictMath.cbrt(t) : (KAPPA * t + 16.0) / 116.0;
    }
}
