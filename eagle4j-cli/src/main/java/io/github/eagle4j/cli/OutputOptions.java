package io.github.eagle4j.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The output folder of a command that writes one explanation folder (a mixin of {@code explain} and {@code diagnose}). */
public final class OutputOptions {
    @ArgGroup(validate = false, heading = HelpSections.OUTPUT, order = HelpSections.OUTPUT_ORDER)
    Fields fields = new Fields();

    /** The options themselves, in their help section. */
    static final class Fields {
        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Output folder (created; replaced if it holds an earlier explanation).")
        Path out;
    }

    /** The {@code --out} folder. */
    Path folder() {
        return fields.out;
    }
}
