package io.github.eagle4j.onnx.image;

import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RgbImage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One image as a processor receives it: either its pixels, or a masked image given by its {@link MaskedBatch}
 * and its index there, which a processor resizes from the batch's per-region sums ({@link MaskedResize}) without
 * building the full-resolution pixels. Both give the same preprocessed values.
 */
public final class ImageInput {
    private final RgbImage image;
    private final MaskedBatch batch;
    private final int index;
    /** The frames of one temporal patch of a video, or null for a still image. */
    private final List<ImageInput> temporal;

    private ImageInput(RgbImage image, MaskedBatch batch, int index) {
        this.image = image;
        this.batch = batch;
        this.index = index;
        this.temporal = null;
    }

    private ImageInput(List<ImageInput> temporal) {
        ImageInput first = temporal.get(0);
        this.image = first.image;
        this.batch = first.batch;
        this.index = first.index;
        this.temporal = List.copyOf(temporal);
    }

    /**
     * The frames of one temporal patch of a video (Qwen-VL's {@code temporal_patch_size} consecutive frames), all of one
     * size: a processor that patches over time takes frame t's pixels for the patch's t-th slice. Its size and, for the
     * processors that look at one image, its pixels are the first frame's.
     *
     * @throws IllegalArgumentException when a frame is itself a temporal patch or the sizes differ
     */
    public static ImageInput temporalPatch(List<ImageInput> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a temporal patch needs at least one frame");
        }
        for (ImageInput f : frames) {
            if (f.temporal != null) {
                throw new IllegalArgumentException("a temporal patch of temporal patches");
            }
            if (f.width() != frames.get(0).width() || f.height() != frames.get(0).height()) {
                throw new IllegalArgumentException("frames of " + frames.get(0).width() + "x" + frames.get(0).height() + " and "
                        + f.width() + "x" + f.height() + " in one temporal patch");
            }
        }
        return new ImageInput(frames);
    }

    /** The frames of this temporal patch, in order; a still image is its own single frame. */
    public List<ImageInput> frames() {
        return temporal != null ? temporal : List.of(this);
    }

    /** An image given by its pixels. */
    public static ImageInput of(RgbImage image) {
        return new ImageInput(image, null, -1);
    }

    /** Images given by their pixels, in order. */
    public static List<ImageInput> of(List<RgbImage> images) {
        List<ImageInput> out = new ArrayList<>(images.size());
        for (RgbImage image : images) {
            out.add(of(image));
        }
        return out;
    }

    /** Masked image {@code index} of a batch. */
    public static ImageInput of(MaskedBatch batch, int index) {
        java.util.Objects.checkIndex(index, batch.size());
        return new ImageInput(null, batch, index);
    }

    /** The masked images of a batch, in order. */
    public static List<ImageInput> of(MaskedBatch batch) {
        List<ImageInput> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(new ImageInput(null, batch, i));
        }
        return out;
    }

    public int width() {
        return image != null ? image.width() : batch.original().width();
    }

    public int height() {
        return image != null ? image.height() : batch.original().height();
    }

    /** The batch this masked image belongs to; empty for an image given by its pixels. */
    public Optional<MaskedBatch> maskedBatch() {
        return Optional.ofNullable(batch);
    }

    /** The image's index in its {@link #maskedBatch()}. */
    public int index() {
        return index;
    }

    /** The pixels (a masked image's are built now, at the original's resolution). */
    public RgbImage pixels() {
        return image != null ? image : batch.image(index);
    }

    @Override
    public String toString() {
        if (temporal != null) {
            return "temporal patch of " + temporal;
        }
        return image != null ? image.toString() : "masked image " + index + " of " + batch.size() + " of " + batch.original();
    }
}
