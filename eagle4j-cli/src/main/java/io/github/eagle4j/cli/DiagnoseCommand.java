package io.github.eagle4j.cli;

import io.github.eagle4j.evaluation.output.DiagnosisFiles;
import io.github.eagle4j.evaluation.output.ExplanationJob;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Segmenter;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.diagnosis.Diagnoser;
import io.github.eagle4j.diagnosis.Diagnosis;
import io.github.eagle4j.report.ExplanationWriter;
import io.github.eagle4j.video.SampledVideo;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eagle diagnose}: why a yes/no answer is wrong, and the smallest removal that corrects it (docs/method.md §10). */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Diagnoses a wrong yes/no (or short) answer: explains the correct answer's token, re-generates the "
                + "answer keeping only the first k regions of the order (k = 1..N), and finds the smallest removed tail "
                + "of regions that corrects it (the minimal correction region, mcr). Writes the explanation files plus "
                + "diagnosis.json and culprits.png into --out.", ""},
        footer = {"", "Examples:",
                "  ./eagle diagnose --image scene.png --prompt \"Is there a red circle?\" \\",
                "      --label no --out out/diag",
                "  ./eagle diagnose --model DIR --image img.jpg \\",
                "      --prompt \"Is there a dog in the image?\" --label No \\",
                "      --regions 64 --max-new-tokens 16 --out out/dog",
                "  ./eagle diagnose --image scene.png --prompt \"Is there a red circle?\" \\",
                "      --label no --method occlusion --out out/diag-occlusion",
                "  ./eagle diagnose --model DIR --video clip.mp4 --prompt \"Does the circle move?\" \\",
                "      --label Yes --grid 4x4 --out out/diag-video"})
public final class DiagnoseCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(validate = false, heading = HelpSections.INPUT, order = HelpSections.INPUT_ORDER)
    Input input = new Input();

    @Mixin
    RegionOptions regions = new RegionOptions();

    @Mixin
    SearchOptions searchOptions = new SearchOptions();

    @Mixin
    MethodOptions method = new MethodOptions();

    @Mixin
    GroundTruthOptions groundTruth = new GroundTruthOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    OutputOptions output = new OutputOptions();

    /** The image, the question, the correct answer, and how the answers are generated. */
    static final class Input extends FrameOptions {
        @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The yes/no question.")
        String prompt;

        @Option(names = "--label", required = true, paramLabel = "WORD",
                description = "The correct answer as the model spells it, e.g. yes or no for the bundled model (Yes/No for "
                        + "models that answer capitalised). An answer is correct when it starts with it (case-sensitive).")
        String label;

        @Option(names = "--max-new-tokens", defaultValue = "" + Diagnoser.DEFAULT_MAX_NEW_TOKENS, paramLabel = "N",
                description = "Longest generated answer, for the first answer and every re-generation (default "
                        + "${DEFAULT-VALUE}; the authors use 128).")
        int maxNewTokens;

        @Option(names = "--generation-threads", defaultValue = "0", paramLabel = "N",
                description = "Re-generations run side by side (0 = min(4, cores)); 1 for backends that are not thread-safe.")
        int generationThreads;
    }

    @Override
    public Integer call() throws Exception {
        input.check();
        return input.runOpeningForVideo(model, this::run);
    }

    private Integer run(VisionLanguageModel early) throws Exception {
        FrameInput frames = early != null ? input.read(early) : input.readImages();
        String prompt = input.prompt;
        String label = input.label;
        int maxNewTokens = input.maxNewTokens;
        int generationThreads = input.generationThreads;
        Path out = output.folder();
        RgbImage img = frames.canvas();
        regions.capNote(img.width(), img.height()).ifPresent(spec.commandLine().getErr()::println);
        Segmenter segmenter = frames.segmenter(regions.segmenter());
        ExplainOptions options = method.applyTo(searchOptions.options(segmenter));
        if (prompt.isBlank()) {
            throw new InvalidInputException("--prompt is empty");
        }
        if (label.isBlank()) {
            throw new InvalidInputException("--label is empty");
        }
        if (maxNewTokens < 1) {
            throw new InvalidInputException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        }
        if (generationThreads < 0) {
            throw new InvalidInputException("--generation-threads must be 0 (automatic) or more, got " + generationThreads);
        }
        boolean[] boxMask = groundTruth.boxMask(img);
        boolean[] maskMask = groundTruth.maskMask(img);
        RegionSet regionSet = segmenter.segment(img);
        SearchCost.check(options, regionSet.regionCount(), searchOptions.allowLargeSearch());
        ProgressLine line = ProgressLine.of(spec);
        try (OutputFolder folder = OutputFolder.prepare(out, ExplanationWriter.JSON);
             VisionLanguageModel vlm = early != null ? early : Models.open(model)) {
            Diagnoser plain = new Diagnoser(options, maxNewTokens, threads(generationThreads));
            Diagnoser diagnoser = frames.video() ? plain.forVideo(frames.clip()) : plain.forFrames(frames.layout());
            Diagnosis d = diagnoser.diagnose(vlm, img, regionSet, prompt, label.strip(),
                    new ConsoleProgress(line, "explain '" + label.strip() + "'", ImagePlan.of(options, regionSet.regionCount())),
                    new TaskProgress(line, "re-generate", "answers", false));
            line.clear();
            ExplanationJob job = new ExplanationJob(prompt, d.labelWord(), List.of(0),
                    new ExplanationJob.GroundTruth(boxMask, maskMask));
            SampledVideo video = frames.video() ? frames.sampledVideo() : null;
            if (video != null) {
                job.write(d.explanation(), img, video, folder.staging());
            } else if (frames.several()) {
                job.write(d.explanation(), img, frames.layout(), folder.staging());
            } else {
                job.write(d.explanation(), img, folder.staging());
            }
            DiagnosisFiles.write(d, img, frames.several() ? frames.layout() : null, video, prompt, maxNewTokens,
                    job.pointingGame(d.explanation()), folder.staging());
            folder.publish();
            spec.commandLine().getOut().println(DiagnosisFiles.summary(d, out));
            spec.commandLine().getOut().println(ExplainCommand.reportLine(out.resolve(ExplanationWriter.REPORT)));
        } finally {
            line.clear();
        }
        return 0;
    }

    /** Threads for re-generation: the option, or min(4, cores). */
    static int threads(int option) {
        return option > 0 ? option : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
