package io.github.eagle4j.cli;

import io.github.eagle4j.RgbImage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded synthetic scene of coloured shapes, the world the bundled tiny model was trained on. The rules
 * are those of {@code fixtures/scenes.py} (documented in {@code fixtures/SCENES.md}), reproduced bit for bit:
 * the same SplitMix64 draws ({@link SplittableRandom#nextLong()}), integer pixel tests, no anti-aliasing.
 *
 * @param seed    the seed
 * @param image   the 128×128 RGB scene
 * @param objects the shapes, in drawing order
 */
public record ShapeScene(long seed, RgbImage image, List<SceneObject> objects) {
    /** Canvas side in pixels. */
    public static final int SIZE = 128;
    static final int MARGIN = 4;
    static final int GAP = 4;
    static final int MIN_SIDE = 28;
    static final int MAX_SIDE = 44;
    static final int MAX_PLACEMENT_ATTEMPTS = 100;
    static final String[] COLOURS = {"red", "green", "blue", "yellow"};
    static final int[][] COLOUR_RGB = {{220, 40, 40}, {40, 180, 60}, {40, 80, 220}, {230, 210, 40}};
    static final String[] SHAPES = {"circle", "square", "triangle"};

    /**
     * One shape of a scene.
     *
     * @param colour colour word
     * @param shape  shape word
     * @param x0     left column of the bounding box
     * @param y0     top row of the bounding box
     * @param side   side of the bounding box
     * @param mask   per pixel (raster order), true inside the shape
     */
    public record SceneObject(String colour, String shape, int x0, int y0, int side, boolean[] mask) {
        /** {@code [x1, y1, x2, y2]}, end-exclusive. */
        public int[] box() {
            return new int[]{x0, y0, x0 + side, y0 + side};
        }

        /** e.g. {@code red circle}. */
        public String words() {
            return colour + " " + shape;
        }
    }

    /** Renders the scene of {@code seed}. */
    public static ShapeScene render(long seed) {
        Draws rng = new Draws(seed);
        boolean textured = rng.uniformInt(0, 1) == 1;
        int grey = rng.uniformInt(170, 235);
        int[] background = new int[3];
        for (int c = 0; c < 3; c++) {
            background[c] = grey + rng.uniformInt(-10, 10);
        }
        int n = rng.uniformInt(1, 3);
        Set<Integer> used = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        List<SceneObject> objects = new ArrayList<>();
        List<int[]> colours = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int colour;
            int shape;
            do {
                colour = rng.uniformInt(0, COLOURS.length - 1);
                shape = rng.uniformInt(0, SHAPES.length - 1);
            } while (used.contains(colour * 16 + shape));
            int[] placed = null;
            for (int attempt = 0; attempt < MAX_PLACEMENT_ATTEMPTS; attempt++) {
                int s = rng.uniformInt(MIN_SIDE, MAX_SIDE);
                int x0 = rng.uniformInt(MARGIN, SIZE - MARGIN - s);
                int y0 = rng.uniformInt(MARGIN, SIZE - MARGIN - s);
                int[] candidate = {x0, y0, s};
                if (boxes.stream().allMatch(b -> separated(candidate, b))) {
                    placed = candidate;
                    break;
                }
            }
            if (placed == null) {
                break; // the scene keeps the objects placed so far
            }
            used.add(colour * 16 + shape);
            boxes.add(placed);
            int[] rgb = new int[3];
            for (int c = 0; c < 3; c++) {
                rgb[c] = Math.max(0, Math.min(255, COLOUR_RGB[colour][c] + rng.uniformInt(-15, 15)));
            }
            colours.add(rgb);
            objects.add(new SceneObject(COLOURS[colour], SHAPES[shape], placed[0], placed[1], placed[2],
                    shapeMask(shape, placed[0], placed[1], placed[2])));
        }
        int[] px = new int[SIZE * SIZE];
        for (int i = 0; i < px.length; i++) {
            int r = background[0];
            int g = background[1];
            int b = background[2];
            if (textured) {
                // noise is drawn in (row, column, channel) order after all objects were placed
                r = clamp(r + rng.uniformInt(-12, 12));
                g = clamp(g + rng.uniformInt(-12, 12));
                b = clamp(b + rng.uniformInt(-12, 12));
            }
            px[i] = (r << 16) | (g << 8) | b;
        }
        for (int o = 0; o < objects.size(); o++) {
            int[] rgb = colours.get(o);
            int packed = (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
            boolean[] mask = objects.get(o).mask();
            for (int i = 0; i < px.length; i++) {
                if (mask[i]) {
                    px[i] = packed;
                }
            }
        }
        return new ShapeScene(seed, RgbImage.adopt(SIZE, SIZE, px), List.copyOf(objects));
    }

    /** The objects left to right by box centre, as the captions list them. */
    public List<SceneObject> leftToRight() {
        return objects.stream()
                .sorted(Comparator.comparingInt((SceneObject o) -> 2 * o.x0() + o.side())
                        .thenComparingInt(o -> 2 * o.y0() + o.side()))
                .toList();
    }

    /** The caption the model was trained to give, e.g. {@code a red circle and a blue square .}. */
    public String caption() {
        List<SceneObject> objs = leftToRight();
        if (objs.isEmpty()) {
            return "nothing .";
        }
        List<String> words = objs.stream().map(o -> "a " + o.words()).toList();
        if (words.size() == 1) {
            return words.get(0) + " .";
        }
        return String.join(" , ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1) + " .";
    }

    static boolean[] shapeMask(int shape, int x0, int y0, int s) {
        boolean[] mask = new boolean[SIZE * SIZE];
        for (int y = y0; y < y0 + s; y++) {
            for (int x = x0; x < x0 + s; x++) {
                long px = 2L * x + 1; // doubled pixel-centre coordinates keep the tests in integers
                long py = 2L * y + 1;
                boolean inside = switch (SHAPES[shape]) {
                    case "square" -> true;
                    case "circle" -> (px - 2L * x0 - s) * (px - 2L * x0 - s) + (py - 2L * y0 - s) * (py - 2L * y0 - s)
                            <= (long) s * s;
                    default -> 2 * Math.abs(px - 2L * x0 - s) <= py - 2L * y0;
                };
                mask[y * SIZE + x] = inside;
            }
        }
        return mask;
    }

    private static boolean separated(int[] a, int[] b) {
        return a[0] + a[2] + GAP <= b[0] || b[0] + b[2] + GAP <= a[0]
                || a[1] + a[2] + GAP <= b[1] || b[1] + b[2] + GAP <= a[1];
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Integer draws exactly as {@code scenes.py}: {@code lo + floor(((x >>> 11)·2^-53)·(hi − lo + 1))}. */
    private static final class Draws {
        private final SplittableRandom random;

        Draws(long seed) {
            random = new SplittableRandom(seed);
        }

        int uniformInt(int lo, int hi) {
            double u = (random.nextLong() >>> 11) * 0x1.0p-53;
            return lo + (int) Math.floor(u * (hi - lo + 1));
        }
    }
}
