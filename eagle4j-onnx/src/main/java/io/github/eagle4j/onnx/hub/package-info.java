/**
 * Where model files come from, for the other parts of this module (public for them, not a stable API): a model
 * folder in the onnx-community layout and its JSON files ({@link io.github.eagle4j.onnx.hub.ModelDirectory},
 * {@code JsonFields}) and models found offline in the local Hugging Face cache ({@link
 * io.github.eagle4j.onnx.hub.HfCache}; never downloaded).
 */
package io.github.eagle4j.onnx.hub;
