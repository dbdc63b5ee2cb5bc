package io.github.eagle4j.cli;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.onnx.BenchmarkResult;
import io.github.eagle4j.onnx.ExplainBenchmark;
import io.github.eagle4j.onnx.ExplainBenchmarkResult;
import io.github.eagle4j.onnx.OnnxSettings;
import io.github.eagle4j.regions.SlicSegmenter;
import io.github.eagle4j.onnx.OnnxBenchmark;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code eagle bench}: images scored per second by the in-process ONNX scorer at batch sizes 1, 8 and 32,
 * and the share of time spent outside ONNX Runtime's run calls. Images scored are the cost of the method:
 * full greedy on 64 regions scores 4,160 of them.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures images scored per second by the ONNX backend at batch sizes 1, 8 and 32 (masked "
                + "copies of one image, teacher-forced), and the share of wall time outside ONNX Runtime.", ""},
        footer = {"", "Examples:", "  ./eagle bench", "  ./eagle bench --parallel 1 --threads 2", "  ./eagle bench --explain --regions 24"})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(validate = false, heading = HelpSections.INPUT, order = HelpSections.INPUT_ORDER)
    Input input = new Input();

    @Mixin
    ModelOptions model = new ModelOptions();

    @ArgGroup(validate = false, heading = "%nWhole explanations:%n", order = HelpSections.SEARCH_ORDER)
    Explain explain = new Explain();

    /** The image whose masked copies are scored. */
    static final class Input {
        @Option(names = "--image", paramLabel = "IMG", description = "Image to mask (default: demo scene 7).")
        Path image;
    }

    /** {@code --explain} and its settings. */
    static final class Explain {
        @Option(names = "--explain", description = "Measure whole explanations (images/s over the search, cold and "
                + "warm) beside ONNX Runtime alone on the same model calls with prepared tensors, and their ratio.")
        boolean explain;

        @Option(names = "--regions", paramLabel = "N", defaultValue = "64",
                description = "With --explain: SLIC regions of the explained image (default: ${DEFAULT-VALUE}).")
        int regions = 64;

        @Option(names = "--warm-runs", paramLabel = "K", defaultValue = "4",
                description = "With --explain: explanations measured warm per batch size (default: ${DEFAULT-VALUE}).")
        int warmRuns = 4;

        @Option(names = "--warm-up", paramLabel = "N", defaultValue = "20",
                description = "With --explain: at most N untimed explanations between the cold and the warm ones, run "
                        + "until the JIT compiler is quiet (compiling under " + ExplainBenchmark.QUIET_JIT_PERCENT
                        + " %% of the time of two in a row; 30 s at most; 0: none; default: ${DEFAULT-VALUE}).")
        int warmUp = 20;
    }

    @Override
    public Integer call() {
        if (explain.explain && explain.regions < 2) {
            throw new InvalidInputException("--regions must be at least 2, got " + explain.regions);
        }
        if (explain.explain && explain.warmRuns < 1) {
            throw new InvalidInputException("--warm-runs must be at least 1, got " + explain.warmRuns);
        }
        if (explain.explain && explain.warmUp < 0) {
            throw new InvalidInputException("--warm-up must be at least 0, got " + explain.warmUp);
        }
        RgbImage img = input.image != null ? ImageFiles.read(input.image) : ShapeScene.render(7).image();
        Path dir = Path.of(model.resolvedModel());
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("--model " + dir + " is not a model directory (eagle bench measures the "
                    + "in-process ONNX backend)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (explain.explain) {
            return explainBench(dir, img, out);
        }
        BenchmarkResult r = OnnxBenchmark.run(dir, img, model.settings());
        out.printf(Locale.ROOT, "model %s, device %s, %d intra-op thread(s) x %d parallel run(s), "
                        + "%d tokens per sequence, %d targets, image %dx%d%n",
                r.model(), r.device(), r.threads(), r.parallel(), r.sequenceLength(), r.targets(), img.width(),
                img.height());
        out.printf(Locale.ROOT, "%-6s %10s %10s %14s%n", "batch", "images", "images/s", "outside ORT");
        for (BenchmarkResult.Row row : r.rows()) {
            out.printf(Locale.ROOT, "%-6d %10d %10.0f %13.1f%%%n", row.batchSize(), row.images(), row.imagesPerSecond(),
                    100 * row.outsideOrtShare());
        }
        return 0;
    }

    private int explainBench(Path dir, RgbImage img, PrintWriter out) {
        ExplainOptions options = ExplainOptions.builder().segmenter(new SlicSegmenter(explain.regions)).build();
        ExplainBenchmarkResult r = ExplainBenchmark.run(dir, img, OnnxBenchmark.DEFAULT_PROMPT,
                OnnxSettings.fromMap(model.settings()), options, OnnxBenchmark.BATCH_SIZES, explain.warmRuns, explain.warmUp, Duration.ofSeconds(2));
        out.printf(Locale.ROOT, "model %s, device %s, %d intra-op thread(s) x %d parallel run(s), search %s, %d regions, "
                        + "%d targets, %d tokens per sequence, image %dx%d%n",
                r.model(), r.device(), r.threads(), r.parallel(), r.search(), r.regions(), r.targets(), r.sequenceLength(),
                img.width(), img.height());
        out.printf(Locale.ROOT, "%-6s %7s | %8s %8s %8s %8s %8s | %8s %8s | %8s %8s %9s | %7s %5s%n", "batch", "images", "cold",
                "1st step", "later", "warm", "raw ORT", "cold/raw", "warm/raw", "cold cpu", "warm cpu", "1st x cpu", "warm-up", "jit");
        for (ExplainBenchmarkResult.Row row : r.rows()) {
            out.printf(Locale.ROOT, "%-6d %7d | %8.0f %8.0f %8.0f %8.0f %8.0f | %7.0f%% %7.0f%% | %7.0f%% %7.0f%% %9.1f | %7d %4.0f%%%n",
                    row.batchSize(), row.imagesPerExplanation(), row.coldImagesPerSecond(), row.coldFirstStepPerSecond(),
                    row.coldLaterStepsPerSecond(), row.warmImagesPerSecond(), row.rawImagesPerSecond(),
                    100 * row.coldRatio(), 100 * row.warmRatio(), 100 * row.coldCpuRatio(), 100 * row.warmCpuRatio(),
                    row.coldFirstStepCpuFactor(), row.warmUpExplanations(), 100 * row.warmJitShare());
        }
        out.println("images/s (wall); cold: the first explanation after the model opened, its first step and the later "
                + "ones; warm: " + explain.warmRuns + " more, after the warm-up explanations (untimed, until the JIT compiler "
                + "was quiet); raw ORT: the vision encoder and decoder alone on prepared tensors, right after each warm "
                + "explanation; cpu: raw's process CPU time per image / the explanation's (barely moved by other load); "
                + "1st x cpu: CPU time per image of the cold first step / of its later steps; jit: the JIT compiler's time "
                + "while the warm explanations and raw runs ran / the warm explanations' wall time");
        return 0;
    }
}
