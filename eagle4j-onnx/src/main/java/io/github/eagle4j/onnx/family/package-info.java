/**
 * Model families, for the other parts of this module (public for them, not a stable API): {@code config.json}
 * {@code model_type} picks a {@link io.github.eagle4j.onnx.family.ModelFamily} ({@link
 * io.github.eagle4j.onnx.family.ModelFamilies}): LLaVA, Qwen2-VL / Qwen2.5-VL (with their M-RoPE position ids,
 * {@code QwenRopeIndex}) and Idefics3 / SmolVLM. A family decides the image preprocessing, the text that stands for
 * the image and the position ids; {@link io.github.eagle4j.onnx.family.ModelConfig} holds the sizes read from the
 * configuration.
 */
package io.github.eagle4j.onnx.family;
