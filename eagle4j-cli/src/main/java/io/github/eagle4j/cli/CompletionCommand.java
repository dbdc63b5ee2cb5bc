package io.github.eagle4j.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code eagle completion}: prints a completion script for bash and zsh (picocli's {@link AutoComplete}), generated
 * from the commands and options themselves, so it never lags behind them.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints a bash/zsh completion script for eagle: commands, options, and the values of options "
                + "that take a fixed set (--search, --fill) or a file.", ""},
        footer = {"", "Install (bash or zsh; completes ./eagle, /path/to/eagle and eagle on the PATH):",
                "  source <(./eagle completion)   # this shell; for every new shell add the line",
                "                                 # (with the full path) to ~/.bashrc or ~/.zshrc"})
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
