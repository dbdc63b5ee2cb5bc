package io.github.eagle4j.onnx.image;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.onnx.hub.JsonFields;
import io.github.eagle4j.onnx.runtime.GraphNodes;
import io.github.eagle4j.onnx.runtime.TensorScope;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The image processor of the Qwen-VL line ({@code Qwen2VLImageProcessor}, also used by Qwen2.5-VL and, as the
 * {@code Fast} variant, Qwen3-VL), driven by {@code preprocessor_config.json}.
 *
 * <p>It reproduces transformers' PIL backend ({@code Qwen2VLImageProcessorPil}) number for number:
 * <ol>
 *   <li>{@link #smartResize}: both sides to multiples of {@code factor = patch_size × merge_size}, rounded half to
 *       even as Python's {@code round}, then scaled into {@code [min_pixels, max_pixels]};</li>
 *   <li>Pillow resize of the 8-bit image to that size ({@link PillowResize}, bicubic by default);</li>
 *   <li>{@code float32(u8 × rescale_factor)}, then {@code float32 (x − mean) / std};</li>
 *   <li>the image cut into {@code patch_size²} patches, each repeated {@code temporal_patch_size} times (one still
 *       frame), in the order transformers flattens them: rows by merge block ({@code gh/m, gw/m}), then the
 *       {@code m × m} patches inside the block; each row holds channel, frame, patch row, patch column.</li>
 * </ol>
 * The vision encoder takes all rows of all images as {@code pixel_values [Σ patches, C·T·P·P]} with
 * {@code grid_thw [images, 3]} = {@code (1, h/P, w/P)} per image and returns one feature row per merged block.
 *
 * <p>Thread-safe; immutable but for a small cache of {@link MaskedResize}s, one per recent masker.
 */
public final class QwenImageProcessor {
    /** {@code image_processor_type} values this class accepts. */
    static final Set<String> SUPPORTED_TYPES = Set.of("Qwen2VLImageProcessor", "Qwen2VLImageProcessorPil",
            "Qwen2VLImageProcessorFast");

    /** transformers' {@code smart_resize} refuses images whose sides differ by more than this factor. */
    static final int MAX_ASPECT_RATIO = 200;

    static final int CHANNELS = 3;
    static final String PIXEL_VALUES = "pixel_values";
    static final String GRID_THW = "grid_thw";
    private static final long DEFAULT_MIN_PIXELS = 56 * 56;
    private static final long DEFAULT_MAX_PIXELS = 28 * 28 * 1280;

    private final String file;
    private final int patchSize;
    private final int mergeSize;
    private final int temporalPatchSize;
    private final long minPixels;
    private final long maxPixels;
    private final boolean doResize;
    private final PillowResize.Filter filter;
    /** Masked images are resized from their masker's per-region sums, one entry per recent masker. */
    private final MaskedResize.Cache maskedResizes = new MaskedResize.Cache(4);
    private final PixelNormalization normalization;

    private QwenImageProcessor(String file, int patchSize, int mergeSize, int temporalPatchSize, long minPixels,
                               long maxPixels, boolean doResize, PillowResize.Filter filter, PixelNormalization normalization) {
        this.file = file;
        this.patchSize = patchSize;
        this.mergeSize = mergeSize;
        this.temporalPatchSize = temporalPatchSize;
        this.minPixels = minPixels;
        this.maxPixels = maxPixels;
        this.doResize = doResize;
        this.filter = filter;
        this.normalization = normalization;
    }

    /**
     * Reads a {@code preprocessor_config.json} (or the {@code image_processor} object of {@code processor_config.json}).
     * The pixel bounds are read as transformers does: {@code min_pixels}/{@code max_pixels} at the top level (the
     * published Qwen2-VL files), else {@code size.shortest_edge}/{@code size.longest_edge} (transformers 5), else
     * {@code size.min_pixels}/{@code size.max_pixels}, else 56·56 and 28·28·1280.
     *
     * @param f the file name, for messages
     * @throws InvalidInputException naming the file and field when the type or a value is not supported
     */
    public static QwenImageProcessor fromJson(JsonNode c, String f) {
        String type = JsonFields.optionalString(c, f, "image_processor_type")
                .orElseThrow(() -> new InvalidInputException(f + ": missing field image_processor_type"));
        if (!SUPPORTED_TYPES.contains(type)) {
            throw new InvalidInputException(f + ": image_processor_type '" + type + "' is not a Qwen-VL image processor (supported: "
                    + String.join(", ", SUPPORTED_TYPES.stream().sorted().toList()) + ")");
        }
        return read(c, f, DEFAULT_MIN_PIXELS, DEFAULT_MAX_PIXELS);
    }

    /**
     * The frame preprocessing of transformers' {@code Qwen2VLVideoProcessor} from its settings (a
     * {@code video_preprocessor_config.json}, the {@code video_processor} object of {@code processor_config.json}, or,
     * as transformers falls back, {@code preprocessor_config.json}): the same resize, normalisation and patches as for
     * images, with the video processor's pixel bounds (by default 128·28·28 and 768·28·28). Frames are resized with
     * Pillow's filter, as images are; transformers resizes video frames with torchvision (docs/frames.md).
     *
     * @throws InvalidInputException naming the file and field when a value is not supported
     */
    public static QwenImageProcessor fromVideoJson(JsonNode c, String f) {
        return read(c, f, 128L * 28 * 28, 768L * 28 * 28);
    }

    private static QwenImageProcessor read(JsonNode c, String f, long defaultMin, long defaultMax) {
        int patch = JsonFields.optionalPositiveInt(c, f, "patch_size").orElse(14);
        int merge = JsonFields.optionalPositiveInt(c, f, "merge_size").orElse(2);
        int temporal = JsonFields.optionalPositiveInt(c, f, "temporal_patch_size").orElse(2);
        long min = pixels(c, f, "min_pixels", "size.shortest_edge", "size.min_pixels").orElse(defaultMin);
        long max = pixels(c, f, "max_pixels", "size.longest_edge", "size.max_pixels").orElse(defaultMax);
        long factor = (long) patch * merge;
        if (factor > 4096) {
            throw new InvalidInputException(f + ": patch_size " + patch + " x merge_size " + merge + " is implausibly large");
        }
        if (max < factor * factor) {
            throw new InvalidInputException(f + ": max_pixels " + max + " is smaller than one merged patch (" + factor + "x" + factor + ")");
        }
        if (min > max) {
            throw new InvalidInputException(f + ": min_pixels " + min + " is larger than max_pixels " + max);
        }
        boolean doResize = JsonFields.optionalBoolean(c, f, "do_resize").orElse(true);
        long resample = JsonFields.optionalLong(c, f, "resample").orElse(3L);
        PillowResize.Filter filter = PillowResize.Filter.ofCode((int) resample);
        if (doResize && filter == null) {
            throw new InvalidInputException(f + ": resample " + resample
                    + " is not supported (supported: 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming)");
        }
        PixelNormalization normalization = PixelNormalization.fromJson(c, f, PixelNormalization.CLIP_MEAN, PixelNormalization.CLIP_STD);
        return new QwenImageProcessor(f, patch, merge, temporal, min, max, doResize, filter, normalization);
    }

    private static Optional<Long> pixels(JsonNode c, String f, String... paths) {
        for (String p : paths) {
            if (JsonFields.at(c, p).isPresent()) {
                long v = JsonFields.requireLong(c, f, p);
                if (v < 0) {
                    throw new InvalidInputException(f + ": " + p + " must not be negative, got " + v);
                }
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public int patchSize() {
        return patchSize;
    }

    public int mergeSize() {
        return mergeSize;
    }

    public int temporalPatchSize() {
        return temporalPatchSize;
    }

    /** Values in one row of {@code pixel_values}: {@code C · T · P · P}. */
    int valuesPerPatch() {
        return CHANNELS * temporalPatchSize * patchSize * patchSize;
    }

    /**
     * transformers' {@code smart_resize}: {@code {height, width}} as multiples of {@code factor} with about the
     * image's aspect ratio and {@code minPixels ≤ height·width ≤ maxPixels} (where the rounding allows).
     *
     * @throws InvalidInputException when the sides differ by more than {@value #MAX_ASPECT_RATIO} times
     */
    static int[] smartResize(int height, int width, int factor, long minPixels, long maxPixels) {
        if (height <= 0 || width <= 0) {
            throw new InvalidInputException("image " + width + "x" + height + " is empty");
        }
        double aspect = (double) Math.max(height, width) / Math.min(height, width);
        if (aspect > MAX_ASPECT_RATIO) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "image %dx%d is too thin for the Qwen-VL image processor: its sides differ %.1f times (at most %d)",
                    width, height, aspect, MAX_ASPECT_RATIO));
        }
        // Python: round(height / factor) * factor, round() halves to even
        long hBar = (long) Math.rint((double) height / factor) * factor;
        long wBar = (long) Math.rint((double) width / factor) * factor;
        long area = (long) height * width;
        if (hBar * wBar > maxPixels) {
            double beta = Math.sqrt((double) area / maxPixels);
            hBar = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
            wBar = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
        } else if (hBar * wBar < minPixels) {
            double beta = Math.sqrt((double) minPixels / area);
            hBar = (long) Math.ceil(height * beta / factor) * factor;
            wBar = (long) Math.ceil(width * beta / factor) * factor;
        }
        if (hBar <= 0 || wBar <= 0 || hBar > Integer.MAX_VALUE / 4 || wBar > Integer.MAX_VALUE / 4
                || hBar * wBar > Math.max(maxPixels, minPixels) * 4L + (long) factor * factor * MAX_ASPECT_RATIO) {
            throw new InvalidInputException("image " + width + "x" + height + " cannot be resized for the Qwen-VL image processor"
                    + " (smart_resize gives " + wBar + "x" + hBar + ")");
        }
        return new int[] {(int) hBar, (int) wBar};
    }

    /** {@code {height, width}} the image is resized to. */
    int[] resizedSize(int width, int height) {
        int factor = patchSize * mergeSize;
        if (!doResize) {
            if (height % factor != 0 || width % factor != 0) {
                throw new InvalidInputException("image " + width + "x" + height + ": without do_resize (" + file
                        + ") its sides must be multiples of patch_size x merge_size = " + factor);
            }
            return new int[] {height, width};
        }
        return smartResize(height, width, factor, minPixels, maxPixels);
    }

    /** {@code {t, h, w}} in patches before merging ({@code grid_thw} row) for an image of this size. */
    public int[] grid(int width, int height) {
        int[] hw = resizedSize(width, height);
        return new int[] {1, hw[0] / patchSize, hw[1] / patchSize};
    }

    /** Image tokens (merged patches, vision feature rows) of an image of this size. */
    public int imageTokens(int width, int height) {
        int[] g = grid(width, height);
        return g[0] * g[1] * g[2] / (mergeSize * mergeSize);
    }

    /**
     * Checks that this processor can take the image.
     *
     * @throws InvalidInputException (one line) for empty images, sides that differ more than
     *                               {@value #MAX_ASPECT_RATIO} times, or sizes smart_resize cannot handle
     */
    public void validate(RgbImage image) {
        resizedSize(image.width(), image.height());
    }

    /** The image's rows of {@code pixel_values}, {@code [patches, valuesPerPatch()]} flattened. */
    float[] patches(RgbImage image) {
        int[] g = grid(image.width(), image.height());
        float[] out = new float[g[1] * g[2] * valuesPerPatch()];
        patches(image, FloatBuffer.wrap(out));
        return out;
    }

    /** Writes the image's rows of {@code pixel_values} at the buffer's position and advances it. */
    void patches(RgbImage image, FloatBuffer dst) {
        patches(ImageInput.of(image), dst);
    }

    /**
     * Writes the image's rows of {@code pixel_values} (a masked image's resized from its batch's sums). A still image
     * fills every temporal slice of a patch; a video's temporal patch ({@link ImageInput#temporalPatch}) gives slice t
     * its frame t (the last frame again when it has fewer, as the video processor pads).
     */
    void patches(ImageInput image, FloatBuffer dst) {
        int[] hw = resizedSize(image.width(), image.height());
        int h = hw[0];
        int w = hw[1];
        List<ImageInput> frames = image.frames();
        int[][][] planesOf = new int[frames.size()][][];
        for (int f = 0; f < planesOf.length; f++) {
            ImageInput frame = frames.get(f);
            planesOf[f] = doResize ? MaskedResize.resize(frame, w, h, new PillowResize.Box(0, 0, w, h), filter, maskedResizes)
                    : PillowResize.planes(frame.pixels());
        }
        int p = patchSize;
        int m = mergeSize;
        int t = temporalPatchSize;
        int gh = h / p;
        int gw = w / p;
        float[] row = new float[valuesPerPatch()];
        int frame = p * p;
        for (int bh = 0; bh < gh / m; bh++) {
            for (int bw = 0; bw < gw / m; bw++) {
                for (int mh = 0; mh < m; mh++) {
                    for (int mw = 0; mw < m; mw++) {
                        int y0 = (bh * m + mh) * p;
                        int x0 = (bw * m + mw) * p;
                        int k = 0;
                        for (int c = 0; c < CHANNELS; c++) {
                            float[] table = normalization.channel(c);
                            for (int f = 0; f < t; f++) {
                                if (f > 0 && f >= planesOf.length) {
                                    // a still image (or a short patch): the slice repeats the one before
                                    System.arraycopy(row, k - frame, row, k, frame);
                                    k += frame;
                                    continue;
                                }
                                int[] plane = planesOf[f][c];
                                for (int py = 0; py < p; py++) {
                                    int base = (y0 + py) * w + x0;
                                    for (int px = 0; px < p; px++) {
                                        row[k++] = table[plane[base + px]];
                                    }
                                }
                            }
                        }
                        dst.put(row);
                    }
                }
            }
        }
    }

    /** The resized 8-bit image as packed {@code 0xRRGGBB}, row by row (the uint8 intermediate, for tests). */
    int[] resized(RgbImage image) {
        int[] hw = resizedSize(image.width(), image.height());
        int[][] planes = doResize ? PillowResize.resize(image, hw[1], hw[0], filter) : PillowResize.planes(image);
        int[] out = new int[planes[0].length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (planes[0][i] << 16) | (planes[1][i] << 8) | planes[2][i];
        }
        return out;
    }

    /**
     * Checks the vision encoder's inputs: {@code pixel_values} float {@code [patches, C·T·P·P]} and {@code grid_thw}
     * int64 {@code [images, 3]}.
     *
     * @throws InvalidInputException naming the file and the input otherwise (e.g. a LLaVA graph beside a Qwen config)
     */
    public void checkVisionInputs(Map<String, NodeInfo> inputs, String graphFile) {
        String contract = "; a Qwen-VL vision encoder takes pixel_values FLOAT [num_patches, " + valuesPerPatch()
                + "] (flattened patches) and grid_thw INT64 [num_images, 3]";
        long[] s = GraphNodes.require(inputs, PIXEL_VALUES, "input", graphFile, OnnxJavaType.FLOAT, 2, contract).getShape();
        if (s[1] >= 0 && s[1] != valuesPerPatch()) {
            throw new InvalidInputException(graphFile + ": input pixel_values has " + s[1] + " values per patch, but " + file
                    + " gives 3 x temporal_patch_size " + temporalPatchSize + " x patch_size " + patchSize + "^2 = " + valuesPerPatch());
        }
        long[] gs = GraphNodes.require(inputs, GRID_THW, "input", graphFile, OnnxJavaType.INT64, 2, contract).getShape();
        if (gs[1] >= 0 && gs[1] != 3) {
            throw new InvalidInputException(graphFile + ": input grid_thw has " + gs[1] + " columns, expected 3" + contract);
        }
        GraphNodes.requireOnly(inputs, Set.of(PIXEL_VALUES, GRID_THW), graphFile, contract);
    }

    /**
     * Vision encoder inputs for images that all have the size of {@code layout}: {@code pixel_values} with the images'
     * patch rows one image after the other (buffer from {@link TensorScope#floatBuffer}) and {@code grid_thw} with one
     * row per image.
     */
    public Map<String, OnnxTensor> visionInputs(List<ImageInput> images, ImageLayout layout, TensorScope scope) throws OrtException {
        int[] g = layout.grid();
        int patches = g[0] * g[1] * g[2];
        int n = images.size();
        FloatBuffer px = scope.floatBuffer((long) n * patches * valuesPerPatch());
        LongBuffer grid = TensorScope.directLongs(3L * n);
        for (ImageInput img : images) {
            patches(img, px);
            grid.put(g[0]).put(g[1]).put(g[2]);
        }
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        out.put(PIXEL_VALUES, scope.floats(px, (long) n * patches, valuesPerPatch()));
        out.put(GRID_THW, scope.longs(grid, n, 3));
        return out;
    }

    /** The layout of an image of this size: image tokens and {@code grid_thw}. */
    public ImageLayout layout(int width, int height) {
        return new ImageLayout(width, height, imageTokens(width, height), grid(width, height));
    }

    @Override
    public String toString() {
        return "QwenImageProcessor[patch " + patchSize + ", merge " + mergeSize + ", temporal " + temporalPatchSize
                + ", pixels " + minPixels + ".." + maxPixels + ", " + filter + "]";
    }
}
