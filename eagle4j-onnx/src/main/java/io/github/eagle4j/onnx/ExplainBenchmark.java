package io.github.eagle4j.onnx;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.onnx.runtime.PreparedRuns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Measures whole explanations in process beside the raw ONNX Runtime throughput of the same model calls, so that
 * what the search, masking and preprocessing cost shows as one ratio. Per batch size the model is opened afresh;
 * the first explanation after opening is the cold one, the following ones are warm; then the scorer's vision and
 * decoder runs are repeated on tensors prepared once ({@link io.github.eagle4j.onnx.runtime.PreparedRuns}) with the
 * same batch size and runs side by side. The answer is the model's own greedy answer (at most 16 tokens), every
 * answer token a target; the regions are segmented once, outside the timings. Between the cold explanation and the
 * warm ones, untimed explanations (each followed by the raw runs, as in the measurement) run until the JIT compiler is
 * quiet (it compiled for under {@value #QUIET_JIT_PERCENT} % of the time of two in a row), at most {@code maxWarmUp}
 * of them and {@link #WARM_UP_LIMIT} in all: the compiler keeps a core busy for seconds after a model is opened, which
 * is neither the search's cost nor the model's, and warm means the steady state a data-set run sees. The raw runs
 * follow each warm explanation for as long as it took, so that on a shared machine both see about the same load.
 */
public final class ExplainBenchmark {
    /** The JIT compiler counts as quiet once it compiled for less than this share (per cent) of the warm-up's wall time. */
    public static final int QUIET_JIT_PERCENT = 2;
    /** The most time the untimed warm-up explanations may take per batch size. */
    public static final Duration WARM_UP_LIMIT = Duration.ofSeconds(30);

    private ExplainBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param options    the explanation's search, segmenter and fill
     * @param warmRuns   explanations measured warm per batch size (≥ 1)
     * @param maxWarmUp  the most untimed explanations run between the cold and the warm ones while the JIT compiler is
     *                   busy (0: none)
     * @param rawMinTime the least time the prepared runs repeat per batch size (in all; they also run at least as long
     *                   as the warm explanations)
     */
    public static ExplainBenchmarkResult run(Path modelDir, RgbImage image, String prompt, OnnxSettings settings,
                                             ExplainOptions options, List<Integer> batchSizes, int warmRuns, int maxWarmUp,
                                             Duration rawMinTime) {
        if (batchSizes.isEmpty()) {
            throw new InvalidInputException("no batch sizes to measure");
        }
        if (warmRuns < 1) {
            throw new InvalidInputException("warm runs must be at least 1, got " + warmRuns);
        }
        if (maxWarmUp < 0) {
            throw new InvalidInputException("warm-up explanations must be at least 0, got " + maxWarmUp);
        }
        String answer;
        List<Integer> targets;
        int seqLen;
        int parallel;
        String device;
        try (OnnxModel model = OnnxModel.open(modelDir, settings)) {
            answer = model.generate(image, prompt, 16).text();
            if (answer.isBlank()) {
                answer = "a";
            }
            List<AnswerToken> tokens = model.answerTokens(prompt, answer);
            targets = TargetSelection.all(tokens);
            seqLen = model.encode(prompt, answer, image.width(), image.height()).fullIds().length;
            parallel = model.parallelRuns();
            device = model.device();
        }
        RegionSet regions = options.segmenter().segment(image);
        Explainer explainer = new Explainer(options);
        List<ExplainBenchmarkResult.Row> rows = new ArrayList<>();
        for (int b : batchSizes) {
            try (OnnxModel model = OnnxModel.open(modelDir, settings.withBatchSize(b));
                 OnnxTokenScorer scorer = model.scorer(prompt, answer, targets, b)) {
                StepClock clock = new StepClock();
                long coldCpu0 = processCpuNanos();
                clock.start();
                Explanation cold = explainer.explain(image, regions, scorer, clock);
                long coldNanos = clock.elapsed();
                long coldCpu = processCpuNanos() - coldCpu0;
                // prepared before the warm-up, which then absorbs what they cost the JIT compiler
                try (PreparedRuns rawRuns = scorer.prepareRuns(rawBatch(image, regions, options, scorer.maxBatchSize()))) {
                    int warmUps = warmUp(explainer, image, regions, scorer, rawRuns, maxWarmUp);
                    long warmJit0 = jitMillis();
                    long warmImages = 0;
                    long warmNanos = 0;
                    long warmCpu = 0;
                    long rawImages = 0;
                    long rawNanos = 0;
                    long rawCpu = 0;
                    for (int i = 0; i < warmRuns; i++) {
                        long c0 = processCpuNanos();
                        long t0 = System.nanoTime();
                        warmImages += explainer.explain(image, regions, scorer, ProgressListener.NONE).cost().forwardPasses();
                        long took = System.nanoTime() - t0;
                        warmNanos += took;
                        warmCpu += processCpuNanos() - c0;
                        c0 = processCpuNanos();
                        // raw runs right after each warm explanation and as long: both see the same load on a shared machine
                        PreparedRuns.Measurement raw = rawRuns.measure(Duration.ofNanos(Math.max(took, rawMinTime.toNanos() / warmRuns)));
                        rawImages += raw.images();
                        rawNanos += raw.nanos();
                        rawCpu += processCpuNanos() - c0;
                    }
                    long warmJit = jitMillis() - warmJit0;
                    double raw = rawImages / (rawNanos / 1e9);
                    double rawCpuPerImage = (double) rawCpu / rawImages;
                    rows.add(new ExplainBenchmarkResult.Row(b, cold.cost().forwardPasses(), cold.cost().forwardPasses() / (coldNanos / 1e9),
                            warmImages / (warmNanos / 1e9), clock.firstStepPerSecond(), clock.laterStepsPerSecond(), raw,
                            rawCpuPerImage / ((double) coldCpu / cold.cost().forwardPasses()),
                            rawCpuPerImage / ((double) warmCpu / warmImages), clock.firstStepCpuFactor(), warmUps,
                            warmJit < 0 ? Double.NaN : warmJit / (warmNanos / 1e6)));
                }
            }
        }
        return new ExplainBenchmarkResult(modelDir.toString(), device, settings.threads(), parallel,
                options.search().cliName(), regions.regionCount(), targets.size(), seqLen, rows);
    }

    /** A batch of masked images as a step of the search scores: image i without region i (modulo the regions). */
    private static MaskedBatch rawBatch(RgbImage image, RegionSet regions, ExplainOptions options, int size) {
        Masker masker = new Masker(image, regions, options.fill());
        List<BitSet> kept = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            BitSet k = new BitSet();
            k.set(0, regions.regionCount());
            k.clear(i % regions.regionCount());
            kept.add(k);
        }
        return new MaskedBatch(masker, kept);
    }

    /**
     * Runs untimed what the measurement runs (an explanation, then the raw runs for as long) until two such pairs in a row
     * ran while the JIT compiler worked for less than {@value #QUIET_JIT_PERCENT} % of their wall time, at most
     * {@code max} pairs and {@link #WARM_UP_LIMIT} in all; returns how many explanations ran.
     */
    private static int warmUp(Explainer explainer, RgbImage image, RegionSet regions, OnnxTokenScorer scorer,
                              PreparedRuns rawRuns, int max) {
        long start = System.nanoTime();
        int quiet = 0;
        for (int i = 0; i < max; i++) {
            long jit0 = jitMillis();
            long t0 = System.nanoTime();
            explainer.explain(image, regions, scorer, ProgressListener.NONE);
            rawRuns.measure(Duration.ofNanos(System.nanoTime() - t0));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            long jit = jitMillis() - jit0;
            // two quiet pairs in a row: a recompilation the profiles still call for may follow one quiet pair
            quiet = jit < 0 || jit * 100 < QUIET_JIT_PERCENT * millis ? quiet + 1 : 0;
            if (quiet == 2 || jit < 0 || System.nanoTime() - start > WARM_UP_LIMIT.toNanos()) {
                return i + 1;
            }
        }
        return max;
    }

    /**
     * Milliseconds the JIT compiler has compiled so far (all its threads), or -1 where the JVM does not tell; it runs
     * beside the program, so while it works it takes cores from the explanation.
     */
    static long jitMillis() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /**
     * CPU time of this process so far (every thread: ours, ONNX Runtime's, the JIT compiler's and the garbage
     * collector's), or 0 where the JVM cannot tell; unlike wall time it barely depends on what else the machine runs.
     */
    static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    /** Times the steps of one explanation from the progress reports. */
    private static final class StepClock implements ProgressListener {
        private long t0;
        private long cpu0;
        private long firstCpu;
        private long lastCpu;
        private long firstNanos = -1;
        private long firstImages;
        private long lastNanos;
        private long lastImages;

        void start() {
            cpu0 = processCpuNanos();
            t0 = System.nanoTime();
        }

        long elapsed() {
            return System.nanoTime() - t0;
        }

        @Override
        public void onProgress(int regionsPlaced, int regionCount, long imagesScored) {
            long now = System.nanoTime() - t0;
            long cpu = processCpuNanos() - cpu0;
            if (firstNanos < 0) {
                firstNanos = now;
                firstImages = imagesScored;
                firstCpu = cpu;
            }
            lastNanos = now;
            lastCpu = cpu;
            lastImages = imagesScored;
        }

        double firstStepPerSecond() {
            return firstNanos <= 0 ? Double.NaN : firstImages / (firstNanos / 1e9);
        }

        /** CPU time per image of the first step divided by that of the later steps. */
        double firstStepCpuFactor() {
            long laterImages = lastImages - firstImages;
            if (firstImages == 0 || laterImages == 0 || lastCpu <= firstCpu) {
                return Double.NaN;
            }
            return ((double) firstCpu / firstImages) / ((double) (lastCpu - firstCpu) / laterImages);
        }

        double laterStepsPerSecond() {
            long n = lastNanos - firstNanos;
            return n <= 0 ? Double.NaN : (lastImages - firstImages) / (n / 1e9);
        }
    }
}
