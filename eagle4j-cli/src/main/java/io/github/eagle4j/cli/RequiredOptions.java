package io.github.eagle4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks the {@code required} options that sit in help sections. Those sections are argument groups with
 * {@code validate = false} ({@link HelpSections}), and picocli checks nothing inside such a group, so a missing
 * {@code --image} would otherwise reach the command as {@code null}. The message is picocli's own.
 */
final class RequiredOptions {
    /** Required options that another option may stand in for: {@code --video} gives the frames instead of {@code --image}. */
    private static final java.util.Map<String, String> ALTERNATIVES = java.util.Map.of("--image", "--video");

    private RequiredOptions() {
    }

    /**
     * Throws picocli's {@link CommandLine.MissingParameterException} for the command that runs when a required option
     * in a help section is absent; does nothing when help or the version was asked for.
     */
    static void check(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult last = parseResult;
        while (true) {
            if (last.isUsageHelpRequested() || last.isVersionHelpRequested()) {
                return;
            }
            if (last.subcommand() == null) {
                break;
            }
            last = last.subcommand();
        }
        List<ArgSpec> missing = new ArrayList<>();
        for (OptionSpec option : last.commandSpec().options()) {
            String alternative = ALTERNATIVES.get(option.longestName());
            boolean stoodIn = alternative != null && last.commandSpec().findOption(alternative) != null
                    && last.hasMatchedOption(alternative);
            if (option.required() && inSection(option.group()) && !last.hasMatchedOption(option) && !stoodIn) {
                missing.add(option);
            }
        }
        if (!missing.isEmpty()) {
            String names = missing.stream().map(o -> "'" + ((OptionSpec) o).longestName() + "=" + o.paramLabel() + "'")
                    .collect(Collectors.joining(", "));
            throw new CommandLine.MissingParameterException(last.commandSpec().commandLine(), missing,
                    "Missing required option" + (missing.size() > 1 ? "s: " : ": ") + names);
        }
    }

    /** True for an option of a help-only group (which picocli does not validate). */
    private static boolean inSection(ArgGroupSpec group) {
        return group != null && !group.validate();
    }
}
