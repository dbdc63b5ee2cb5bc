package io.github.eagle4j;

/**
 * What an explanation cost.
 *
 * @param forwardPasses images scored (with {@code --each-token}: by every search together, each image once)
 * @param scorerCalls   batches sent to the scorer
 * @param elapsedMs     wall time of segmentation, search and metrics
 */
public record Cost(long forwardPasses, int scorerCalls, long elapsedMs) {
}
