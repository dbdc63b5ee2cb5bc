/**
 * ONNX Runtime, for the other parts of this module (public for them, not a stable API): {@link
 * io.github.eagle4j.onnx.runtime.ModelGraphs} loads the three sessions of an export on the chosen device and runs
 * them (token embeddings, image features, one teacher-forced decoder pass); {@link
 * io.github.eagle4j.onnx.runtime.GraphSignature} reads what the graphs take and give and checks it against
 * {@code config.json} and the model family; {@link io.github.eagle4j.onnx.runtime.DecoderCache} holds greedy
 * generation's KV cache; {@link io.github.eagle4j.onnx.runtime.ImageEmbedder} writes image features into a
 * conversation's embeddings; tensors, direct buffers and logits ({@code TensorScope}, {@code DirectBufferPool},
 * {@code Logits}).
 */
package io.github.eagle4j.onnx.runtime;
