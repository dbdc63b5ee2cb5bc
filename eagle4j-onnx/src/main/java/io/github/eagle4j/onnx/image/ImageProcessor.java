package io.github.eagle4j.onnx.image;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.onnx.runtime.TensorScope;

import java.util.List;
import java.util.Map;

/**
 * A model family's image preprocessing, from {@code preprocessor_config.json}: what the vision encoder is fed for
 * a batch of images of one size. Implementations are immutable and thread-safe.
 */
public interface ImageProcessor {
    /**
     * Checks that this processor can take the image.
     *
     * @throws io.github.eagle4j.InvalidInputException one line naming what is wrong (e.g. an aspect ratio the
     *                                                 processor refuses)
     */
    void validate(RgbImage image);

    /** The layout of an image of this size; a function of the size only. */
    ImageLayout layout(int width, int height);

    /** The layout of a small valid image, used to probe the vision graph when the model is opened. */
    ImageLayout probeLayout();

    /**
     * Checks the vision graph's inputs (names, element types, ranks, static sizes).
     *
     * @throws io.github.eagle4j.InvalidInputException naming the file and the input that does not fit
     */
    void checkVisionInputs(Map<String, NodeInfo> inputs, String file);

    /**
     * The vision encoder's inputs for images that all have the size of {@code layout} (masked images of a
     * {@link io.github.eagle4j.MaskedBatch} are resized from its per-region sums), created in {@code scope}
     * (which frees them; take their buffers from {@link TensorScope#floatBuffer} so that repeated calls reuse them). The
     * encoder must then emit {@code images.size() × layout.imageTokens()} feature rows.
     */
    Map<String, OnnxTensor> visionInputs(List<ImageInput> images, ImageLayout layout, TensorScope scope) throws OrtException;

    /**
     * Images the vision encoder should get per run. Most encoders batch freely; Qwen-VL's treats the patches of all
     * images as one sequence under a block-diagonal attention mask, so its cost grows with the square of the images
     * per run and one image per run is fastest.
     */
    default int imagesPerVisionRun() {
        return Integer.MAX_VALUE;
    }
}
