package io.github.eagle4j.onnx.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.onnx.hub.JsonFields;
import io.github.eagle4j.onnx.hub.ModelDirectory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The CLIP image processor of LLaVA models (and SigLIP's, which is the same pipeline without the crop), driven by {@code preprocessor_config.json}: resize (shortest edge, or
 * to a fixed size) with Pillow's arithmetic, centre crop, rescale, normalise, channels first.
 *
 * <p>It reproduces the numbers of transformers' PIL backend ({@code CLIPImageProcessorPil}): Pillow resize of
 * the 8-bit image with a uint8 result, crop offsets {@code (h - ch) / 2}, {@code float32(u8 * rescale)}, then
 * {@code float32 (x - mean) / std}. The torchvision backend ({@code CLIPImageProcessorFast}) resizes in
 * floating point and differs by up to a few 1e-2; its configs are accepted and processed the PIL way.
 *
 * <p>Thread-safe; immutable but for a small cache of {@link MaskedResize}s, one per recent masker.
 */
public final class ClipImageProcessor {
    /** {@code image_processor_type} values this class accepts. */
    public static final Set<String> SUPPORTED_TYPES = Set.of(
            "CLIPImageProcessor", "CLIPImageProcessorPil", "CLIPImageProcessorFast", "CLIPFeatureExtractor",
            "SiglipImageProcessor", "SiglipImageProcessorPil", "SiglipImageProcessorFast");

    /** Images whose longer side exceeds this multiple of the shorter side are rejected (resizing them would explode). */
    public static final int MAX_ASPECT_RATIO = 32;


    private final boolean doResize;
    private final int shortestEdge;
    private final int resizeHeight;
    private final int resizeWidth;
    private final PillowResize.Filter filter;
    private final boolean doCenterCrop;
    private final int cropHeight;
    private final int cropWidth;
    private final PixelNormalization normalization;
    /** Precomputed resizes of the maskers whose images this processor gets (an explanation's one). */
    private final MaskedResize.Cache maskedResizes = new MaskedResize.Cache(4);
    /** The anchors of the latest batch whose images were written as changes. */
    private volatile BatchAnchors anchors;

    private ClipImageProcessor(boolean doResize, int shortestEdge, int resizeHeight, int resizeWidth,
                               PillowResize.Filter filter, boolean doCenterCrop, int cropHeight, int cropWidth,
                               PixelNormalization normalization) {
        this.doResize = doResize;
        this.shortestEdge = shortestEdge;
        this.resizeHeight = resizeHeight;
        this.resizeWidth = resizeWidth;
        this.filter = filter;
        this.doCenterCrop = doCenterCrop;
        this.cropHeight = cropHeight;
        this.cropWidth = cropWidth;
        this.normalization = normalization;
    }

    /**
     * Reads a {@code preprocessor_config.json}.
     *
     * @throws InvalidInputException naming the file and field when the processor type or a field is not supported
     */
    public static ClipImageProcessor fromConfig(java.nio.file.Path preprocessorConfig) {
        java.nio.file.Path parent = preprocessorConfig.toAbsolutePath().getParent();
        String name = preprocessorConfig.getFileName().toString();
        return fromJson(ModelDirectory.plain(parent).json(name), name);
    }

    public static ClipImageProcessor fromJson(JsonNode c, String f) {
        String type = JsonFields.optionalString(c, f, "image_processor_type")
                .or(() -> JsonFields.optionalString(c, f, "feature_extractor_type"))
                .orElseThrow(() -> new InvalidInputException(f + ": missing field image_processor_type"));
        if (!SUPPORTED_TYPES.contains(type)) {
            throw new InvalidInputException(f + ": image_processor_type '" + type + "' is not supported (supported: "
                    + String.join(", ", SUPPORTED_TYPES.stream().sorted().toList()) + ")");
        }
        boolean doResize = JsonFields.optionalBoolean(c, f, "do_resize").orElse(true);
        int shortest = -1;
        int rh = -1;
        int rw = -1;
        if (doResize) {
            Optional<JsonNode> size = JsonFields.at(c, "size");
            if (size.isEmpty()) {
                throw new InvalidInputException(f + ": missing field size");
            }
            if (size.get().isIntegralNumber()) {
                shortest = JsonFields.requirePositiveInt(c, f, "size");
            } else if (JsonFields.at(c, "size.shortest_edge").isPresent()) {
                shortest = JsonFields.requirePositiveInt(c, f, "size.shortest_edge");
            } else if (JsonFields.at(c, "size.height").isPresent()) {
                rh = JsonFields.requirePositiveInt(c, f, "size.height");
                rw = JsonFields.requirePositiveInt(c, f, "size.width");
            } else {
                throw new InvalidInputException(f + ": size must give shortest_edge or height and width, got " + size.get());
            }
        }
        long resample = JsonFields.optionalLong(c, f, "resample").orElse(3L);
        PillowResize.Filter filter = PillowResize.Filter.ofCode((int) resample);
        if (doResize && filter == null) {
            throw new InvalidInputException(f + ": resample " + resample
                    + " is not supported (supported: 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming)");
        }
        // SigLIP's processor (e.g. llava-interleave) resizes to a fixed size and has no crop step
        boolean doCrop = JsonFields.optionalBoolean(c, f, "do_center_crop").orElse(!type.startsWith("Siglip"));
        int ch = -1;
        int cw = -1;
        if (doCrop) {
            Optional<JsonNode> crop = JsonFields.at(c, "crop_size");
            if (crop.isEmpty()) {
                throw new InvalidInputException(f + ": missing field crop_size");
            }
            if (crop.get().isIntegralNumber()) {
                ch = JsonFields.requirePositiveInt(c, f, "crop_size");
                cw = ch;
            } else {
                ch = JsonFields.requirePositiveInt(c, f, "crop_size.height");
                cw = JsonFields.requirePositiveInt(c, f, "crop_size.width");
            }
        } else if (!doResize || shortest > 0) {
            throw new InvalidInputException(f + ": without do_center_crop the image size must be fixed (size.height and size.width)");
        }
        if (doCrop && shortest > 0 && (ch > shortest || cw > shortest)) {
            throw new InvalidInputException(f + ": crop_size " + cw + "x" + ch + " is larger than size.shortest_edge " + shortest
                    + " (padding is not supported)");
        }
        if (doCrop && rh > 0 && (ch > rh || cw > rw)) {
            throw new InvalidInputException(f + ": crop_size " + cw + "x" + ch + " is larger than size " + rw + "x" + rh);
        }
        return new ClipImageProcessor(doResize, shortest, rh, rw, filter, doCrop, ch, cw,
                PixelNormalization.fromJson(c, f, PixelNormalization.CLIP_MEAN, PixelNormalization.CLIP_STD));
    }

    /** Height of the processed image (the model's input size). */
    public int outputHeight() {
        return doCenterCrop ? cropHeight : resizeHeight;
    }

    /** Width of the processed image. */
    public int outputWidth() {
        return doCenterCrop ? cropWidth : resizeWidth;
    }

    /** Floats one processed image takes: {@code 3 × height × width}. */
    public int valuesPerImage() {
        return 3 * outputHeight() * outputWidth();
    }

    /**
     * Checks that this processor can take the image.
     *
     * @throws InvalidInputException when the image is thinner than 1:{@value #MAX_ASPECT_RATIO}, or (without resizing)
     *                               smaller than the crop
     */
    public void validate(RgbImage image) {
        validate(image.width(), image.height());
    }

    /** {@link #validate(RgbImage)} for an image of this size. */
    public void validate(int w, int h) {
        long longer = Math.max(w, h);
        long shorter = Math.min(w, h);
        if (longer > (long) MAX_ASPECT_RATIO * shorter) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "image %dx%d is too thin for the CLIP image processor: its sides differ by more than %d times",
                    w, h, MAX_ASPECT_RATIO));
        }
        if (!doResize && doCenterCrop && (w < cropWidth || h < cropHeight)) {
            throw new InvalidInputException("image " + w + "x" + h + " is smaller than the processor's crop " + cropWidth + "x" + cropHeight);
        }
    }

    /** The processed image, channels first ({@code [3][height][width]} flattened). */
    public float[] preprocess(RgbImage image) {
        float[] out = new float[valuesPerImage()];
        FloatBuffer buf = FloatBuffer.wrap(out);
        preprocess(image, buf);
        return out;
    }

    /** Writes the processed image, channels first, at the buffer's position and advances it. */
    public void preprocess(RgbImage image, FloatBuffer dst) {
        preprocess(ImageInput.of(image), dst);
    }

    /** Writes the processed image (a masked image's resized from its batch's sums), channels first, and advances. */
    public void preprocess(ImageInput image, FloatBuffer dst) {
        int[][] planes = resizeAndCropPlanes(image);
        int hw = outputHeight() * outputWidth();
        int base = dst.position();
        for (int c = 0; c < 3; c++) {
            int[] plane = planes[c];
            float[] table = normalization.channel(c);
            int off = base + c * hw;
            for (int i = 0; i < hw; i++) {
                dst.put(off + i, table[plane[i]]);
            }
        }
        dst.position(base + 3 * hw);
    }

    /**
     * Writes the processed images one after another, channels first, at the buffer's position and advances past them.
     * A masked image whose kept regions differ little from those of another image of its batch (one of the two before it
     * in the list, or one of the batch's first two) is written as that image's values with only the outputs its changed
     * regions reach recomputed: a search's images in one call mostly differ from each other by a region or two. The
     * values are those of {@link #preprocess(ImageInput, FloatBuffer)} image by image.
     */
    public void preprocess(List<ImageInput> images, FloatBuffer dst) {
        int base = dst.position();
        int per = valuesPerImage();
        for (int i = 0; i < images.size(); i++) {
            dst.position(base + i * per);
            if (!preprocessAsChange(images, i, base, dst)) {
                preprocess(images.get(i), dst);
            }
        }
        dst.position(base + images.size() * per);
    }

    /**
     * Image {@code i} written as its changes from the cheapest reference of its batch: images {@code i-1} and {@code i-2}
     * (already written at {@code base}) and the batch's images 0 and 1 ({@link BatchAnchors}), when its changes reach
     * under half the outputs; false otherwise.
     */
    private boolean preprocessAsChange(List<ImageInput> images, int i, int base, FloatBuffer dst) {
        ImageInput image = images.get(i);
        MaskedBatch batch = image.maskedBatch().orElse(null);
        if (batch == null || image.frames().size() != 1) {
            return false;
        }
        MaskedResize resize = maskedResize(image).orElseThrow();
        int per = valuesPerImage();
        int listed = -1;
        int anchor = -1;
        int cheapest = Integer.MAX_VALUE;
        for (int j = Math.max(0, i - 2); j < i; j++) {
            ImageInput other = images.get(j);
            if (other.maskedBatch().orElse(null) == batch && other.frames().size() == 1) {
                int count = resize.changeCount(batch, image.index(), other.index());
                if (count < cheapest) {
                    cheapest = count;
                    listed = j;
                }
            }
        }
        for (int a = 0; a < Math.min(BatchAnchors.COUNT, batch.size()); a++) {
            if (a == image.index()) {
                continue;
            }
            int count = resize.changeCount(batch, image.index(), a);
            if (count < cheapest) {
                cheapest = count;
                anchor = a;
                listed = -1;
            }
        }
        if ((listed < 0 && anchor < 0) || cheapest > resize.outputs() / 2) {
            return false;
        }
        int at = base + i * per;
        int reference;
        if (listed >= 0) {
            dst.put(at, dst.duplicate(), base + listed * per, per);
            reference = images.get(listed).index();
        } else {
            dst.put(at, anchors(batch).values(anchor), 0, per);
            reference = anchor;
        }
        int hw = outputHeight() * outputWidth();
        float[] red = normalization.channel(0);
        float[] green = normalization.channel(1);
        float[] blue = normalization.channel(2);
        resize.resizeChanges(batch, image.index(), reference, (o, rgb) -> {
            dst.put(at + o, red[rgb >>> 16]);
            dst.put(at + hw + o, green[(rgb >>> 8) & 0xFF]);
            dst.put(at + 2 * hw + o, blue[rgb & 0xFF]);
        });
        return true;
    }

    /** The batch's anchors, made afresh for a new batch (synchronized: the parallel runs share one call's batch). */
    private synchronized BatchAnchors anchors(MaskedBatch batch) {
        BatchAnchors a = anchors;
        if (a == null || a.batch != batch) {
            a = new BatchAnchors(batch);
            anchors = a;
        }
        return a;
    }

    /**
     * A batch's first images processed, made when first chosen as a reference: a search puts its step's images in one
     * batch, and each differs from the first of its kind (insertion or deletion) by about two regions, so the first
     * image each run thread gets of a call need not be processed whole.
     */
    private final class BatchAnchors {
        static final int COUNT = 2;
        private final MaskedBatch batch;
        private final FloatBuffer[] values = new FloatBuffer[COUNT];

        BatchAnchors(MaskedBatch batch) {
            this.batch = batch;
        }

        synchronized FloatBuffer values(int index) {
            if (values[index] == null) {
                // direct, as the tensors' buffers are: the code that writes them then meets one buffer class, and the
                // JIT compiler need not recompile it for a second
                FloatBuffer v = ByteBuffer.allocateDirect(Float.BYTES * valuesPerImage()).order(ByteOrder.nativeOrder()).asFloatBuffer();
                preprocess(ImageInput.of(batch, index), v);
                values[index] = v;
            }
            return values[index];
        }
    }

    /** The resized and cropped 8-bit image as packed {@code 0xRRGGBB}, row by row (the uint8 intermediate). */
    int[] resizeAndCrop(RgbImage image) {
        int[][] planes = resizeAndCropPlanes(ImageInput.of(image));
        int[] out = new int[planes[0].length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (planes[0][i] << 16) | (planes[1][i] << 8) | planes[2][i];
        }
        return out;
    }

    /**
     * The resized and cropped image as three 8-bit planes (R, G, B). Only the crop is resized
     * ({@link PillowResize#resizeBox}); a masked image is resized from its batch's precomputed sums
     * ({@link MaskedResize}) without building its full-resolution pixels.
     */
    private int[][] resizeAndCropPlanes(ImageInput image) {
        Resize r = resizeOf(image);
        return MaskedResize.resize(image, r.width(), r.height(), r.box(), filter, maskedResizes);
    }

    /** The per-region resize of {@code image}'s batch (empty for an image given by its pixels). */
    private Optional<MaskedResize> maskedResize(ImageInput image) {
        Resize r = resizeOf(image);
        return MaskedResize.of(image, r.width(), r.height(), r.box(), filter, maskedResizes);
    }

    /** The size an image is resized to and the box of it that is kept. */
    private record Resize(int width, int height, PillowResize.Box box) {
    }

    private Resize resizeOf(ImageInput image) {
        int w = image.width();
        int h = image.height();
        validate(w, h);
        int nw = w;
        int nh = h;
        if (doResize) {
            if (shortestEdge > 0) {
                int[] size = shortestEdgeSize(w, h, shortestEdge);
                nw = size[0];
                nh = size[1];
            } else {
                nw = resizeWidth;
                nh = resizeHeight;
            }
        }
        PillowResize.Box box = doCenterCrop
                ? new PillowResize.Box((nw - cropWidth) / 2, (nh - cropHeight) / 2, cropWidth, cropHeight)
                : new PillowResize.Box(0, 0, nw, nh);
        return new Resize(nw, nh, box);
    }

    /** {@code {width, height}} after resizing the shorter side to {@code edge} (transformers' rule, long side truncated). */
    static int[] shortestEdgeSize(int width, int height, int edge) {
        if (width <= height) {
            return new int[] {edge, (int) ((double) ((long) edge * height) / width)};
        }
        return new int[] {(int) ((double) ((long) edge * width) / height), edge};
    }

    @Override
    public String toString() {
        return "ClipImageProcessor[" + outputWidth() + "x" + outputHeight() + ", " + filter + "]";
    }
}
