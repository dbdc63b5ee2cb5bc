package io.github.eagle4j.cli;

import io.github.eagle4j.ExplainMethod;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.InvalidInputException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * What orders the regions (a mixin of {@code explain} and {@code diagnose}): EAGLE's search, or a baseline scored the
 * same way, with its sample count and seed.
 */
public final class MethodOptions {
    @ArgGroup(validate = false, heading = HelpSections.METHOD, order = HelpSections.METHOD_ORDER)
    Fields fields = new Fields();

    /** The options themselves, in their help section. */
    static final class Fields {
        @Option(names = "--method", paramLabel = "METHOD", defaultValue = "eagle",
                description = "What orders the regions: eagle (the search above), or a baseline on the same regions and "
                        + "fill: rise, lime, kernelshap, occlusion, random. Every order is scored the same way. "
                        + "Default: ${DEFAULT-VALUE}.")
        String method;

        @Option(names = "--baseline-samples", paramLabel = "N", defaultValue = "" + ExplainOptions.DEFAULT_BASELINE_SAMPLES,
                description = "Images rise, lime and kernelshap score to build their order (default ${DEFAULT-VALUE}).")
        int baselineSamples;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
                description = "Seed of rise, lime, kernelshap, random, the fast search's random masks and the steps "
                        + "--verify-steps samples (default ${DEFAULT-VALUE}).")
        long seed;
    }

    /** {@code options} with {@code --method}, {@code --baseline-samples} and {@code --seed}. */
    ExplainOptions applyTo(ExplainOptions options) {
        ExplainMethod m;
        try {
            m = ExplainMethod.parse(fields.method);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--method " + e.getMessage().replace("unknown method ", ""));
        }
        if (fields.baselineSamples < 2) {
            throw new InvalidInputException("--baseline-samples must be at least 2, got " + fields.baselineSamples);
        }
        return options.toBuilder().method(m).baselineSamples(fields.baselineSamples).seed(fields.seed).build();
    }
}
