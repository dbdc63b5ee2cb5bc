package io.github.eagle4j.cli;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.VisionLanguageModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eagle generate}: the model's greedy answer, token by token with indices for {@code --target-index}. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the model's greedy answer and its tokens with their indices (the indices --target-index takes).", ""},
        footer = {"", "Example:", "  ./eagle generate --image scene.png --prompt \"Describe the image.\""})
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(validate = false, heading = HelpSections.INPUT, order = HelpSections.INPUT_ORDER)
    Input input = new Input();

    @Mixin
    ModelOptions model = new ModelOptions();

    /** The image, the question and the answer's length. */
    static final class Input {
        @Option(names = "--image", required = true, paramLabel = "IMG",
                description = "Image file (PNG, JPEG); repeat for several images in one prompt, in order (docs/frames.md).")
        List<Path> images;

        @Option(names = "--video", paramLabel = "FILE|DIR",
                description = "A video (H.264 in MP4/MOV) or a folder of frames (PNG, JPEG, in name order) instead of "
                        + "--image: the frames the model's video processor samples, as one video (Qwen2-VL, Qwen2.5-VL; "
                        + "docs/frames.md).")
        Path video;

        @Option(names = "--video-fps", paramLabel = "F",
                description = "With --video FILE: frames per second to sample (default: the model's video processor's). "
                        + "With a folder: the frames' own rate (default 24).")
        Double videoFps;

        @Option(names = "--video-frames", paramLabel = "N",
                description = "With --video: take N frames spread evenly (rounded to the model's temporal patch).")
        Integer videoFrames;

        @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The question or instruction.")
        String prompt;

        @Option(names = "--max-new-tokens", defaultValue = "128", paramLabel = "N",
                description = "Longest answer (default ${DEFAULT-VALUE}).")
        int maxNewTokens;
    }

    @Override
    public Integer call() {
        String prompt = input.prompt;
        int maxNewTokens = input.maxNewTokens;
        VideoFrames.check(input.video, input.images, input.videoFrames, input.videoFps);
        FrameInput images = input.video == null ? FrameInput.read(input.images) : null;
        if (prompt.isBlank()) {
            throw new InvalidInputException("--prompt is empty");
        }
        if (maxNewTokens < 1) {
            throw new InvalidInputException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        }
        try (VisionLanguageModel vlm = Models.open(model)) {
            FrameInput frames = images != null ? images : VideoFrames.read(vlm, input.video, input.videoFrames, input.videoFps);
            VisionLanguageModel.Generation g = frames.generate(vlm, prompt, maxNewTokens);
            PrintWriter out = spec.commandLine().getOut();
            out.println(g.text());
            for (AnswerToken t : g.tokens()) {
                out.printf("%4d  %-16s id %d%n", t.index(), t.text(), t.id());
            }
        }
        return 0;
    }
}
