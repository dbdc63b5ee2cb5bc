package io.github.eagle4j.cli;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.onnx.BenchmarkResult;
import io.github.eagle4j.onnx.OnnxBenchmark;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        footer = {"", "Examples:", "  ./eagle bench", "  ./eagle bench --parallel 1 --threads 2"})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(validate = false, heading = HelpSections.INPUT, order = HelpSections.INPUT_ORDER)
    Input input = new Input();

    @Mixin
    ModelOptions model = new ModelOptions();

    /** The image whose masked copies are scored. */
    static final class Input {
        @Option(names = "--image", paramLabel = "IMG", description = "Image to mask (default: demo scene 7).")
        Path image;
    }

    @Override
    public Integer call() {
        RgbImage img = input.image != null ? ImageFiles.read(input.image) : ShapeScene.render(7).image();
        Path dir = Path.of(model.resolvedModel());
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("--model " + dir + " is not a model directory (eagle bench measures the "
                    + "in-process ONNX backend)");
        }
        BenchmarkResult r = OnnxBenchmark.run(dir, img, model.settings());
        PrintWriter out = spec.commandLine().getOut();
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
}
