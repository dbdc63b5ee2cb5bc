package io.github.eagle4j;

/**
 * What produced the probabilities, for the provenance of every explanation.
 *
 * @param backend     e.g. {@code onnx}, {@code vllm}, {@code test}
 * @param model       model directory, repository id or URL
 * @param precision   e.g. {@code fp32}, {@code fp16}
 * @param approximate true when probabilities are not exact teacher-forced values (hosted APIs, docs/method.md §12)
 */
public record ScorerDescription(String backend, String model, String precision, boolean approximate) {
}
