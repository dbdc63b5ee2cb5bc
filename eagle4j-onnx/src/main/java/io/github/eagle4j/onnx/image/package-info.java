/**
 * Image preprocessing of each model family, reproducing transformers' PIL backend bit for bit, for the other parts
 * of this module (public for them, not a stable API): the {@link io.github.eagle4j.onnx.image.ImageProcessor}
 * contract and its CLIP/SigLIP, Qwen-VL and Idefics3 implementations, the token {@link
 * io.github.eagle4j.onnx.image.ImageLayout} of an image size, Pillow's fixed-point resizes ({@code PillowResize}),
 * rescale-and-normalise ({@code PixelNormalization}), and {@code MaskedResize}, which resizes the masked images of a
 * {@link io.github.eagle4j.MaskedBatch} from per-region sums without rendering them.
 */
package io.github.eagle4j.onnx.image;
