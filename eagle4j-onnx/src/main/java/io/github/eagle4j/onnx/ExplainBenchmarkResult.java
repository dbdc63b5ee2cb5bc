package io.github.eagle4j.onnx;

import java.util.List;

/**
 * Throughput of whole explanations beside the raw ONNX Runtime throughput of the same model calls, as
 * {@code eagle bench --explain} prints it.
 *
 * @param model          model directory
 * @param device         {@code cpu} or {@code cuda:N}
 * @param threads        intra-op threads per run
 * @param parallel       runs side by side
 * @param search         the search explained with ({@code full}, …)
 * @param regions        regions of the explained image
 * @param targets        target tokens scored per image
 * @param sequenceLength tokens per teacher-forced sequence
 * @param rows           one row per batch size
 */
public record ExplainBenchmarkResult(String model, String device, int threads, int parallel, String search, int regions,
                                     int targets, int sequenceLength, List<Row> rows) {
    public ExplainBenchmarkResult {
        rows = List.copyOf(rows);
    }

    /**
     * Measurements at one batch size, each model opened afresh.
     *
     * @param batchSize              most images per model call
     * @param imagesPerExplanation   images one explanation scores
     * @param coldImagesPerSecond    images per second of the first explanation after the model was opened (search,
     *                               masking, preprocessing and scoring; segmentation excluded)
     * @param warmImagesPerSecond    images per second of the later explanations, together
     * @param coldFirstStepPerSecond images per second of the first explanation's first search step
     * @param coldLaterStepsPerSecond images per second of the first explanation's other steps
     * @param rawImagesPerSecond     images per second of ONNX Runtime alone on prepared tensors
     *                               ({@link io.github.eagle4j.onnx.runtime.PreparedRuns})
     * @param coldCpuRatio           the raw runs' process CPU time per image divided by the cold explanation's: the
     *                               share of an explanation's CPU work that ONNX Runtime's runs need, nearly
     *                               independent of other load on the machine (NaN where the JVM gives no CPU time)
     * @param warmCpuRatio           the same for the warm explanations
     * @param coldFirstStepCpuFactor the cold explanation's CPU time per image in its first step divided by that of its
     *                               later steps (how much dearer the first step's images are)
     * @param warmUpExplanations     untimed explanations run between the cold and the warm ones until the JIT compiler
     *                               was quiet
     * @param warmJitShare           the JIT compiler's compile time during the warm explanations and raw runs divided by
     *                               the warm explanations' wall time (NaN where the JVM does not tell): how much the
     *                               compiler still took from the measured explanations
     */
    public record Row(int batchSize, long imagesPerExplanation, double coldImagesPerSecond, double warmImagesPerSecond,
                      double coldFirstStepPerSecond, double coldLaterStepsPerSecond, double rawImagesPerSecond,
                      double coldCpuRatio, double warmCpuRatio, double coldFirstStepCpuFactor, int warmUpExplanations,
                      double warmJitShare) {
        /** Warm explanation throughput as a share of the raw throughput. */
        public double warmRatio() {
            return warmImagesPerSecond / rawImagesPerSecond;
        }

        /** Cold explanation throughput as a share of the raw throughput. */
        public double coldRatio() {
            return coldImagesPerSecond / rawImagesPerSecond;
        }
    }
}
