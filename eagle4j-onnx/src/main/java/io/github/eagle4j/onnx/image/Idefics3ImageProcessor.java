package io.github.eagle4j.onnx.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.onnx.hub.JsonFields;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The image processor of Idefics3 and SmolVLM models, driven by {@code preprocessor_config.json}: resize so the
 * longest edge is {@code size.longest_edge}, resize each side up to a multiple of the tile size
 * {@code max_image_size.longest_edge}, cut tiles row by row and append the whole image resized to one tile (the
 * global image), rescale, normalise, channels first. Without {@code do_image_splitting} the resized image is
 * squeezed into one tile.
 *
 * <p>It reproduces transformers' PIL backend ({@code Idefics3ImageProcessorPil}, {@code SmolVLMImageProcessorPil})
 * bit for bit: every resize is Pillow's (Lanczos by default) on the 8-bit image, sizes follow transformers' float
 * arithmetic, then {@code float32(u8 × rescale)} and {@code float32 (x − mean) / std}. A single image never has
 * padding tiles, so its {@code pixel_attention_mask} is all true.
 *
 * <p>Thread-safe; immutable but for a small cache of {@link MaskedResize}s, one per recent masker.
 */
public final class Idefics3ImageProcessor {
    /** {@code image_processor_type} values this class accepts. */
    static final Set<String> SUPPORTED_TYPES = Set.of(
            "Idefics3ImageProcessor", "Idefics3ImageProcessorPil", "Idefics3ImageProcessorFast",
            "SmolVLMImageProcessor", "SmolVLMImageProcessorPil", "SmolVLMImageProcessorFast");

    /** transformers' {@code MAX_IMAGE_SIZE}: the resized image's longest edge never exceeds it. */
    static final int MAX_IMAGE_SIZE = 4096;

    private final int longestEdge;
    private final int tileSize;
    private final boolean splitting;
    private final PillowResize.Filter filter;
    /** Masked images are resized from their masker's per-region sums, one entry per recent masker. */
    private final MaskedResize.Cache maskedResizes = new MaskedResize.Cache(4);
    private final PixelNormalization normalization;

    /**
     * Sizes of one image through the pipeline.
     *
     * @param resizedWidth  after the longest-edge resize
     * @param resizedHeight after the longest-edge resize
     * @param visionWidth   after the resize to multiples of the tile size (the tile size when not splitting)
     * @param visionHeight  likewise
     * @param rows          tile rows, 0 when the image is one tile (no split)
     * @param cols          tile columns, 0 when the image is one tile
     */
    public record Geometry(int resizedWidth, int resizedHeight, int visionWidth, int visionHeight, int rows, int cols) {
        /** Tiles fed to the vision encoder: rows × cols + the global image, or 1. */
        public int tiles() {
            return rows == 0 && cols == 0 ? 1 : rows * cols + 1;
        }
    }

    private Idefics3ImageProcessor(int longestEdge, int tileSize, boolean splitting, PillowResize.Filter filter,
                                   PixelNormalization normalization) {
        this.longestEdge = longestEdge;
        this.tileSize = tileSize;
        this.splitting = splitting;
        this.filter = filter;
        this.normalization = normalization;
    }

    /**
     * Reads a {@code preprocessor_config.json} (or the {@code image_processor} object of {@code processor_config.json}).
     *
     * @throws InvalidInputException naming the file and field when the type or a field is not supported
     */
    public static Idefics3ImageProcessor fromJson(JsonNode c, String f) {
        String type = JsonFields.requireString(c, f, "image_processor_type");
        if (!SUPPORTED_TYPES.contains(type)) {
            throw new InvalidInputException(f + ": image_processor_type '" + type + "' is not an Idefics3/SmolVLM image processor (supported: "
                    + String.join(", ", SUPPORTED_TYPES.stream().sorted().toList()) + ")");
        }
        if (!JsonFields.optionalBoolean(c, f, "do_resize").orElse(true)) {
            throw new InvalidInputException(f + ": do_resize false is not supported (the image size would be unbounded)");
        }
        int longest = JsonFields.requirePositiveInt(c, f, "size.longest_edge");
        int tile = JsonFields.requirePositiveInt(c, f, "max_image_size.longest_edge");
        if (longest > MAX_IMAGE_SIZE) {
            throw new InvalidInputException(f + ": size.longest_edge " + longest + " exceeds transformers' maximum " + MAX_IMAGE_SIZE);
        }
        boolean split = JsonFields.optionalBoolean(c, f, "do_image_splitting").orElse(true);
        long resample = JsonFields.optionalLong(c, f, "resample").orElse(1L);
        PillowResize.Filter filter = PillowResize.Filter.ofCode((int) resample);
        if (filter == null) {
            throw new InvalidInputException(f + ": resample " + resample
                    + " is not supported (supported: 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming)");
        }
        return new Idefics3ImageProcessor(longest, tile, split, filter,
                PixelNormalization.fromJson(c, f, PixelNormalization.HALF, PixelNormalization.HALF));
    }

    /** {@code size.longest_edge}: the longer side of every image after the first resize. */
    public int longestEdge() {
        return longestEdge;
    }

    /** The tile size ({@code max_image_size.longest_edge}): every tile is tileSize × tileSize. */
    public int tileSize() {
        return tileSize;
    }

    public boolean splitting() {
        return splitting;
    }

    /** Floats one tile takes: {@code 3 × tileSize²}. */
    public int valuesPerTile() {
        return 3 * tileSize * tileSize;
    }

    /**
     * Checks that this processor can take the image.
     *
     * @throws InvalidInputException when the image is so thin that its shorter side would shrink below one pixel
     *                               (transformers silently stretches it to one pixel)
     */
    public void validate(RgbImage image) {
        validate(image.width(), image.height());
    }

    /** {@link #validate(RgbImage)} for an image of this size. */
    public void validate(int width, int height) {
        long longer = Math.max(width, height);
        long shorter = Math.min(width, height);
        if (longer > (long) longestEdge * shorter) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "image %dx%d is too thin for the Idefics3 image processor: its shorter side would shrink below one pixel "
                            + "when the longer one is resized to %d", width, height, longestEdge));
        }
    }

    /** The sizes an image of {@code width × height} goes through; depends on the size only. */
    public Geometry geometry(int width, int height) {
        validate(width, height);
        int[] r = longestEdgeSize(width, height, longestEdge);
        int w = r[0];
        int h = r[1];
        if (!splitting) {
            return new Geometry(w, h, tileSize, tileSize, 0, 0);
        }
        int[] v = visionSize(w, h, tileSize);
        int rows = 0;
        int cols = 0;
        if (v[1] > tileSize || v[0] > tileSize) {
            rows = (v[1] - tileSize) / tileSize + 1;
            cols = (v[0] - tileSize) / tileSize + 1;
        }
        return new Geometry(w, h, v[0], v[1], rows, cols);
    }

    /**
     * {@code {width, height}} with the longest edge resized to {@code longest} (transformers'
     * {@code _resize_output_size_rescale_to_max_len}: the other side truncated, then made even; then capped at
     * {@link #MAX_IMAGE_SIZE}).
     */
    static int[] longestEdgeSize(int width, int height, int longest) {
        double aspect = (double) width / height;
        int w;
        int h;
        if (width >= height) {
            w = longest;
            h = (int) (w / aspect);
            if (h % 2 != 0) {
                h++;
            }
        } else {
            h = longest;
            w = (int) (h * aspect);
            if (w % 2 != 0) {
                w++;
            }
        }
        h = Math.max(h, 1);
        w = Math.max(w, 1);
        aspect = (double) w / h;
        if (w >= h && w > MAX_IMAGE_SIZE) {
            w = MAX_IMAGE_SIZE;
            h = (int) (w / aspect);
        } else if (h > w && h > MAX_IMAGE_SIZE) {
            h = MAX_IMAGE_SIZE;
            w = (int) (h * aspect);
        }
        return new int[] {Math.max(w, 1), Math.max(h, 1)};
    }

    /** {@code {width, height}} resized up to multiples of the tile size (transformers' {@code resize_for_vision_encoder}). */
    static int[] visionSize(int width, int height, int tile) {
        double aspect = (double) width / height;
        int w;
        int h;
        if (width >= height) {
            w = ceilTo(width, tile);
            h = (int) (w / aspect);
            h = ceilTo(h, tile);
        } else {
            h = ceilTo(height, tile);
            w = (int) (h * aspect);
            w = ceilTo(w, tile);
        }
        return new int[] {w, h};
    }

    private static int ceilTo(int v, int m) {
        return (int) Math.ceil((double) v / m) * m;
    }

    /** The processed tiles of one image, channels first: {@code [tiles][3][S][S]} flattened. */
    public float[] preprocess(RgbImage image) {
        Geometry g = geometry(image.width(), image.height());
        float[] out = new float[g.tiles() * valuesPerTile()];
        preprocess(image, FloatBuffer.wrap(out));
        return out;
    }

    /** Writes the processed tiles of one image at the buffer's position and advances it. */
    public void preprocess(RgbImage image, FloatBuffer dst) {
        preprocess(ImageInput.of(image), dst);
    }

    /** Writes the processed tiles of one image (a masked image's resized from its batch's sums) and advances. */
    public void preprocess(ImageInput image, FloatBuffer dst) {
        List<int[][]> tiles = stages(image).tiles();
        int hw = tileSize * tileSize;
        int base = dst.position();
        for (int t = 0; t < tiles.size(); t++) {
            int[][] planes = tiles.get(t);
            for (int c = 0; c < 3; c++) {
                int[] plane = planes[c];
                float[] table = normalization.channel(c);
                int off = base + (t * 3 + c) * hw;
                for (int i = 0; i < hw; i++) {
                    dst.put(off + i, table[plane[i]]);
                }
            }
        }
        dst.position(base + tiles.size() * 3 * hw);
    }

    /** The 8-bit tiles (R, G, B planes of tileSize²), row by row, the global image last. */
    public List<int[][]> tiles(RgbImage image) {
        Stages s = stages(ImageInput.of(image));
        return s.tiles();
    }

    /**
     * The 8-bit images of every stage.
     *
     * @param resized planes after the longest-edge resize
     * @param vision  planes after the resize to multiples of the tile size (the single tile when not splitting)
     * @param tiles   the tiles, global image last
     */
    record Stages(Geometry geometry, int[][] resized, int[][] vision, List<int[][]> tiles) {
    }

    Stages stages(RgbImage image) {
        return stages(ImageInput.of(image));
    }

    Stages stages(ImageInput image) {
        Geometry g = geometry(image.width(), image.height());
        int[][] resized = MaskedResize.resize(image, g.resizedWidth(), g.resizedHeight(),
                new PillowResize.Box(0, 0, g.resizedWidth(), g.resizedHeight()), filter, maskedResizes);
        int[][] vision = PillowResize.resize(resized, g.resizedWidth(), g.resizedHeight(), g.visionWidth(), g.visionHeight(), filter);
        List<int[][]> tiles = new ArrayList<>(g.tiles());
        if (g.rows() == 0 && g.cols() == 0) {
            tiles.add(vision);
            return new Stages(g, resized, vision, tiles);
        }
        int s = tileSize;
        int vw = g.visionWidth();
        for (int r = 0; r < g.rows(); r++) {
            for (int col = 0; col < g.cols(); col++) {
                int[][] tile = new int[3][s * s];
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < s; y++) {
                        System.arraycopy(vision[c], (r * s + y) * vw + col * s, tile[c], y * s, s);
                    }
                }
                tiles.add(tile);
            }
        }
        tiles.add(PillowResize.resize(vision, vw, g.visionHeight(), s, s, filter));
        return new Stages(g, resized, vision, tiles);
    }

    @Override
    public String toString() {
        return "Idefics3ImageProcessor[longest " + longestEdge + ", tile " + tileSize + (splitting ? ", split" : "") + ", " + filter + "]";
    }
}
