package io.github.eagle4j.onnx;

import java.util.List;

/**
 * Throughput of the ONNX backend, as {@code eagle bench} prints it.
 *
 * @param model          model directory
 * @param device         {@code cpu} or {@code cuda:N}
 * @param threads        intra-op threads per run
 * @param parallel       runs side by side
 * @param sequenceLength tokens per teacher-forced sequence (prompt, image tokens and answer)
 * @param targets        target tokens scored per image
 * @param rows           one row per batch size
 */
public record BenchmarkResult(String model, String device, int threads, int parallel, int sequenceLength, int targets,
                              List<Row> rows) {
    public BenchmarkResult {
        rows = List.copyOf(rows);
    }

    /**
     * Measurements at one batch size.
     *
     * @param batchSize       images per model call
     * @param images          images scored in the timed calls
     * @param seconds         wall time of the timed calls (masking included)
     * @param imagesPerSecond {@code images / seconds}
     * @param outsideOrtShare share of the runs' time spent outside ONNX Runtime (masking, preprocessing, copying,
     *                        softmax): {@code 1 − ortTime / (wall × parallel runs)}
     */
    public record Row(int batchSize, int images, double seconds, double imagesPerSecond, double outsideOrtShare) {
    }
}
