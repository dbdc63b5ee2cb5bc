/**
 * Text, for the other parts of this module (public for them, not a stable API): the Hugging Face tokenizer through
 * DJL ({@link io.github.eagle4j.onnx.text.HfTokenizer}), chat templates rendered with Jinjava ({@link
 * io.github.eagle4j.onnx.text.ChatTemplate}), and the prompt + answer encoded for an image layout, with the image
 * placeholder expanded ({@link io.github.eagle4j.onnx.text.PromptEncoder}, {@link
 * io.github.eagle4j.onnx.text.EncodedConversation}).
 */
package io.github.eagle4j.onnx.text;
