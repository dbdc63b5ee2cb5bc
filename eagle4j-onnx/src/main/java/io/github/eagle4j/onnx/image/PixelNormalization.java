package io.github.eagle4j.onnx.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.onnx.hub.JsonFields;

/**
 * The rescale and normalise steps of transformers' image processors for 8-bit pixels, in their PIL backend's
 * arithmetic ({@code float32(u8 * rescale_factor)}, then {@code float32 (x - mean) / std}), read from
 * {@code preprocessor_config.json} and tabulated per channel: 256 values each, so preprocessing is a look-up.
 * Immutable.
 */
final class PixelNormalization {
    /** CLIP's mean and std, transformers' default for the CLIP and Qwen-VL processors. */
    static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};
    /** The mean and std of SigLIP-style processors (Idefics3). */
    static final double[] HALF = {0.5, 0.5, 0.5};

    private final float[][] table;

    private PixelNormalization(float[][] table) {
        this.table = table;
    }

    /**
     * Reads {@code do_rescale}, {@code rescale_factor}, {@code do_normalize}, {@code image_mean} and {@code image_std}.
     *
     * @throws InvalidInputException naming the file and field when a value does not fit
     */
    static PixelNormalization fromJson(JsonNode c, String f, double[] defaultMean, double[] defaultStd) {
        boolean doRescale = JsonFields.optionalBoolean(c, f, "do_rescale").orElse(true);
        double rescale = JsonFields.optionalDouble(c, f, "rescale_factor").orElse(1.0 / 255);
        boolean doNormalize = JsonFields.optionalBoolean(c, f, "do_normalize").orElse(true);
        double[] mean = JsonFields.at(c, "image_mean").isPresent() ? JsonFields.requireDoubles(c, f, "image_mean", 3) : defaultMean;
        double[] std = JsonFields.at(c, "image_std").isPresent() ? JsonFields.requireDoubles(c, f, "image_std", 3) : defaultStd;
        float[][] table = new float[3][256];
        for (int ch = 0; ch < 3; ch++) {
            if (!(std[ch] > 0)) {
                throw new InvalidInputException(f + ": image_std must be positive, got " + std[ch]);
            }
            float m = (float) mean[ch];
            float s = (float) std[ch];
            for (int u = 0; u < 256; u++) {
                float v = doRescale ? (float) (u * rescale) : (float) u;
                table[ch][u] = doNormalize ? (v - m) / s : v;
            }
        }
        return new PixelNormalization(table);
    }

    /** The values of channel {@code c} (0 R, 1 G, 2 B) by 8-bit input; do not modify. */
    float[] channel(int c) {
        return table[c];
    }
}
