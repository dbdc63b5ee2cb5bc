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
 * <p>Parts, one subpackage each (internal: public for this module's other parts, not a stable API):
 * {@code runtime} (sessions and their runs), {@code image} (preprocessing), {@code text} (tokenizer, chat
 * templates, prompt encoding), {@code family} (what differs between model families) and {@code hub} (model folders
 * and the Hugging Face cache).
 *
 * <p>Model families ({@code config.json} {@code model_type}, see {@code family.ModelFamilies}): {@code llava} (CLIP or
 * SigLIP processor, fixed resolution), {@code qwen2_vl} / {@code qwen2_5_vl} (dynamic resolution, M-RoPE) and
 * {@code idefics3} / {@code smolvlm} (tiles plus a global image). Each family is one {@code ModelFamily} class:
 * its preprocessing, the text that stands for the image, its position ids; the graphs, the feature scatter,
 * teacher forcing and generation are shared. Pixel values reproduce transformers' PIL backend exactly;
 * probabilities match PyTorch to within float32 rounding of the logits.
 */
package io.github.eagle4j.onnx;
