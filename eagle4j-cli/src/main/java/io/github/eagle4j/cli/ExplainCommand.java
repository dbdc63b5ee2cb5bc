package io.github.eagle4j.cli;

import io.github.eagle4j.evaluation.input.ConversationFile;
import io.github.eagle4j.evaluation.output.ExplanationJob;
import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Segmenter;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.report.ExplanationWriter;
import io.github.eagle4j.text.Conversation;
import io.github.eagle4j.text.TextRegionOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code eagle explain}: which image regions the answer's target tokens rest on. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explains which image regions the target answer tokens rest on, and writes explanation.json, image.png, regions.png, attribution.png, overlay.png, curves.png and report.html into --out.", ""},
        footer = {"", "Examples:",
                "  ./eagle explain --image scene.png --prompt \"Describe the image.\" \\",
                "      --target-word red --out out/red",
                "  ./eagle explain --model models/tiny-shapes-llava --image scene.png \\",
                "      --prompt \"Describe the image.\" --answer \"a red circle .\" \\",
                "      --search lazy --regions 36 --out out/lazy",
                "  ./eagle explain --image scene.png --prompt \"Describe the image.\" \\",
                "      --target-word red --method rise --out out/rise"})
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(validate = false, heading = HelpSections.INPUT, order = HelpSections.INPUT_ORDER)
    Input input = new Input();

    @ArgGroup(validate = false, heading = HelpSections.TARGETS, order = HelpSections.TARGETS_ORDER)
    Targets targets = new Targets();

    @Mixin
    RegionOptions regions = new RegionOptions();

    @Mixin
    SearchOptions searchOptions = new SearchOptions();

    @Mixin
    MethodOptions method = new MethodOptions();

    @Mixin
    TextRegionCliOptions textRegions = new TextRegionCliOptions();

    @Mixin
    GroundTruthOptions groundTruth = new GroundTruthOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    OutputOptions output = new OutputOptions();

    /** The image, the question and the answer. */
    static final class Input extends FrameOptions {
        @Option(names = "--top-images", paramLabel = "K",
                description = "With several --image: a hierarchical search that orders the images first, then the "
                        + "regions of the K most important images (docs/frames.md). Default: all regions together.")
        Integer topImages;

        @Option(names = "--temporal-pairs",
                description = "With --video: one region is one place in both frames of a temporal patch (frames 2j and "
                        + "2j+1 for Qwen-VL), masked in both at once; regions are drawn on the first frame of each pair "
                        + "(docs/frames.md). Default: regions per frame.")
        boolean temporalPairs;

        @Option(names = "--prompt", paramLabel = "TEXT",
                description = "The question or instruction (with --conversation: appended as the last user turn).")
        String prompt;

        @Option(names = "--conversation", paramLabel = "FILE.json",
                description = "A conversation in the chat APIs' role/content form: system prompt and earlier turns "
                        + "before the question, which is --prompt or else the file's last user turn (docs/text.md).")
        Path conversation;

        @Option(names = "--answer", paramLabel = "TEXT",
                description = "Answer to explain (teacher-forced). Default: the model's own greedy answer.")
        String answer;

        @Option(names = "--max-new-tokens", defaultValue = "128", paramLabel = "N",
                description = "Longest generated answer when --answer is not given (default ${DEFAULT-VALUE}).")
        int maxNewTokens;
    }

    /** Which answer tokens to explain: explicit indices or a word (not both), and whether each on its own too. */
    static final class Targets {
        @Option(names = "--target-index", paramLabel = "I[,J...]",
                description = "Answer token indices to explain (0 = first answer token).")
        String indices;

        @Option(names = "--target-word", paramLabel = "WORD",
                description = "Explain the tokens of the first occurrence of this word in the answer.")
        String word;

        @Option(names = "--each-token",
                description = "Also explain every target token on its own, sharing scored images (perToken in "
                        + "explanation.json, tokens/overlay-III.png, a strip of maps in report.html); with --search fast and "
                        + "no --budget, all searches together score at most 2.5·N(N+1) images.")
        boolean eachToken;
    }

    @Override
    public Integer call() throws Exception {
        // Everything that can be checked without the model is checked first, so bad input fails fast.
        if (targets.indices != null && targets.word != null) {
            throw new InvalidInputException("--target-index and --target-word cannot be used together");
        }
        input.check();
        if (input.temporalPairs && !input.isVideo()) {
            throw new InvalidInputException("--temporal-pairs needs --video");
        }
        if (input.temporalPairs && input.topImages != null) {
            throw new InvalidInputException("--temporal-pairs cannot be used with --top-images (its regions span two frames)");
        }
        if (input.temporalPairs && regions.segmenter() instanceof io.github.eagle4j.regions.LabelMapSegmenter) {
            throw new InvalidInputException("--temporal-pairs draws the regions itself; not with --regions-file");
        }
        return input.runOpeningForVideo(model, this::run);
    }

    private Integer run(VisionLanguageModel early) throws Exception {
        FrameInput frames = early != null ? input.read(early) : input.readImages();
        frames.checkTopImages(input.topImages);
        Conversation conversation = conversation(input.prompt, input.conversation);
        String prompt = conversation.prompt();
        String answer = input.answer;
        Path out = output.folder();
        RgbImage img = frames.canvas();
        regions.capNote(img.width(), img.height()).ifPresent(spec.commandLine().getErr()::println);
        Segmenter segmenter = frames.segmenter(regions.segmenter());
        if (input.temporalPairs) {
            int group = early.videoSampling().map(io.github.eagle4j.VideoSampling::temporalPatchSize).orElse(2);
            segmenter = new io.github.eagle4j.regions.TemporalPairSegmenter(frames.layout(), regions.segmenter(), group);
        }
        ExplainOptions options = method.applyTo(searchOptions.options(segmenter));
        if (targets.eachToken) {
            options = options.toBuilder().eachToken(true).build();
        }
        TextRegionOptions text = textRegions.options();
        RegionSet regionSet = segmenter.segment(img);
        SearchCost.check(options, regionSet.regionCount(), searchOptions.allowLargeSearch());
        boolean[] boxMask = groundTruth.boxMask(img);
        boolean[] maskMask = groundTruth.maskMask(img);
        if (prompt.isBlank()) {
            throw new InvalidInputException("--prompt is empty");
        }
        ProgressLine line = ProgressLine.of(spec);
        try (OutputFolder folder = OutputFolder.prepare(out, ExplanationWriter.JSON);
             VisionLanguageModel opened = early != null ? early : Models.open(model)) {
            VisionLanguageModel vlm = withHistory(opened, conversation, input.conversation);
            VisionLanguageModel.Generation generated = answer != null ? null : frames.generate(vlm, prompt, input.maxNewTokens);
            String answerText = answer != null ? answer : generated.text();
            List<AnswerToken> answerTokens = generated != null ? vlm.answerTokens(prompt, generated) : vlm.answerTokens(prompt, answerText);
            if (generated != null) {
                warnIfRetokenisedDifferently(generated.tokens(), answerTokens);
            }
            if (answerTokens.isEmpty()) {
                throw new InvalidInputException("--answer '" + answerText + "' tokenises to nothing");
            }
            List<Integer> targetIndices = selectTargets(answerTokens);
            ConsoleProgress progress = new ConsoleProgress(line, "explain", ImagePlan.of(options, regionSet.regionCount()));
            if (SearchCost.planned(options, regionSet.regionCount()) > SearchCost.ESTIMATE_ABOVE) {
                try (var probe = frames.scorer(vlm, prompt, answerText, generated, targetIndices)) {
                    SearchCost.estimate(options, regionSet.regionCount(), probe, img).ifPresent(line::println);
                }
            }
            ExplanationJob job = new ExplanationJob(prompt, answerText, targetIndices,
                    new ExplanationJob.GroundTruth(boxMask, maskMask), generated);
            Explanation e = frames.several()
                    ? frames.explain(vlm, job, regionSet, options, input.topImages, progress, folder.staging(), text)
                    : job.run(vlm, img, regionSet, options, progress, folder.staging(), line::println, text);
            line.clear();
            folder.publish();
            spec.commandLine().getOut().println(ExplanationJob.summary(e, out));
            spec.commandLine().getOut().println(reportLine(out.resolve(ExplanationWriter.REPORT)));
        } finally {
            line.clear();
        }
        return 0;
    }

    /**
     * Backends that teacher-force only text (the servers) explain the generated answer as its text tokenises when
     * read back. When that does not give the generated tokens (partial UTF-8, non-canonical merges), the tokens
     * explained are not the ones generated: say so on stderr rather than silently. (The ONNX backend teacher-forces
     * the generated ids, so this never fires there.)
     */
    private void warnIfRetokenisedDifferently(List<AnswerToken> generated, List<AnswerToken> retokenised) {
        int n = Math.min(generated.size(), retokenised.size());
        for (int i = 0; i < n; i++) {
            if (generated.get(i).id() != retokenised.get(i).id()) {
                spec.commandLine().getErr().printf(Locale.ROOT, "eagle explain: note: the generated answer tokenises differently when "
                                + "read back (token %d: generated '%s', read back '%s'); the explanation is of the answer as read back%n",
                        i, generated.get(i).text(), retokenised.get(i).text());
                return;
            }
        }
    }

    /**
     * The question and the messages before it: {@code --prompt} alone, or {@code --conversation}'s messages with
     * {@code --prompt} appended as the last user turn, or, without {@code --prompt}, with the file's last user turn
     * as the question.
     */
    static Conversation conversation(String prompt, Path file) {
        if (file == null) {
            if (prompt == null) {
                throw new InvalidInputException("Missing required option: '--prompt=TEXT' (or --conversation FILE.json)");
            }
            return Conversation.of(prompt);
        }
        if (prompt != null && prompt.isBlank()) {
            throw new InvalidInputException("--prompt is empty");
        }
        return ConversationFile.read(file, prompt);
    }

    /** {@code vlm} with the conversation's history; a template that cannot render it is named with the file. */
    static VisionLanguageModel withHistory(VisionLanguageModel vlm, Conversation conversation, Path file) {
        try {
            return vlm.withHistory(conversation.history());
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + ": the model cannot take this conversation: " + e.getMessage(), e);
        }
    }

    /** The last line of a command that wrote a report: where to open it. */
    static String reportLine(Path report) {
        return "report: " + report;
    }

    private List<Integer> selectTargets(List<AnswerToken> answerTokens) {
        if (targets.word != null) {
            return TargetSelection.word(answerTokens, targets.word);
        }
        if (targets.indices == null) {
            return TargetSelection.all(answerTokens);
        }
        return TargetSelection.indices(answerTokens, TargetSelection.parseIndices(targets.indices));
    }
}
