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
    static final class Input extends FrameOptions {
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
        input.check();
        FrameInput images = input.isVideo() ? null : input.readImages();
        if (prompt.isBlank()) {
            throw new InvalidInputException("--prompt is empty");
        }
        if (maxNewTokens < 1) {
            throw new InvalidInputException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        }
        try (VisionLanguageModel vlm = Models.open(model)) {
            FrameInput frames = images != null ? images : input.read(vlm);
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
