/**
 * The in-process backend: Hugging Face vision-language models exported in the onnx-community layout, run with
 * ONNX Runtime (CPU, or CUDA with the {@code onnxruntime_gpu} artifact), tokenised with DJL's binding of the
 * Hugging Face tokenizers, prompts rendered with Jinjava.
 *
 * <p>Entry points: {@link io.github.eagle4j.onnx.OnnxModel#open(java.nio.file.Path, OnnxSettings)} gives a
 * {@link io.github.eagle4j.VisionLanguageModel} (greedy generation, answer tokens, scorers);
 * {@link io.github.eagle4j.onnx.OnnxModelProvider} registers the backend as {@code onnx} for the CLI;
 * {@link io.github.eagle4j.onnx.OnnxBenchmark} measures throughput for {@code eagle bench}.
 *
 * <p>Supported today: {@code model_type} {@code llava} with a CLIP image processor (LLaVA-1.5 style, one image,
 * fixed resolution). Pixel values reproduce transformers' PIL backend exactly; probabilities match PyTorch to
 * within float32 rounding of the logits.
 */
package io.github.eagle4j.onnx;
