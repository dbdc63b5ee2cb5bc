package io.github.eagle4j.metrics;

/**
 * The pointing game (docs/method.md §8): a hit when any pixel attaining the map's global maximum lies inside
 * the ground truth; ties count as hits.
 */
public final class PointingGame {
    private PointingGame() {
    }

    /**
     * Hit test against a ground-truth mask.
     *
     * @param map    per-pixel attribution, raster order
     * @param inside per-pixel ground truth, same length
     */
    public static boolean hit(double[] map, boolean[] inside) {
        if (map.length != inside.length) {
            throw new IllegalArgumentException("map has " + map.length + " pixels, ground truth " + inside.length);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : map) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < map.length; i++) {
            if (inside[i] && map[i] == max) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pointing game of a region map against whatever ground truth exists: keys {@code box} and
     * {@code mask} for the masks given (either may be {@code null}); empty when neither is.
     */
    public static java.util.Map<String, Boolean> hits(io.github.eagle4j.RegionSet regions, double[] regionScores,
                                                      boolean[] box, boolean[] mask) {
        java.util.Map<String, Boolean> pg = new java.util.LinkedHashMap<>();
        if (box == null && mask == null) {
            return pg;
        }
        double[] map = AttributionMap.pixelMap(regions, regionScores);
        if (box != null) {
            pg.put("box", hit(map, box));
        }
        if (mask != null) {
            pg.put("mask", hit(map, mask));
        }
        return pg;
    }

    /**
     * The ground-truth mask of a box {@code [x1, y1, x2, y2]}, end-exclusive as the authors slice it
     * (rows y1..y2−1, columns x1..x2−1), clipped to the image.
     */
    public static boolean[] boxMask(int width, int height, int x1, int y1, int x2, int y2) {
        boolean[] inside = new boolean[width * height];
        int xa = Math.max(0, x1);
        int xb = Math.min(width, x2);
        int ya = Math.max(0, y1);
        int yb = Math.min(height, y2);
        for (int y = ya; y < yb; y++) {
            for (int x = xa; x < xb; x++) {
                inside[y * width + x] = true;
            }
        }
        return inside;
    }
}
