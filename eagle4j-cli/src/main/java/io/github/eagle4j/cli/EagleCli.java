package io.github.eagle4j.cli;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code eagle} command: parse, run the library, map failures to one line and an exit status
 * (0 success, 1 failure, 2 bad usage or bad input).
 */
@Command(name = "eagle",
        mixinStandardHelpOptions = true,
        versionProvider = EagleCli.VersionProvider.class,
        description = {"Explains why a vision-language model generated particular tokens: which image regions they rest on (EAGLE, arXiv 2509.22496), how faithful that is, and what came from the language prior.", ""},
        subcommands = {DemoCommand.class, GenerateCommand.class, ExplainCommand.class, DiagnoseCommand.class, EvaluateCommand.class, ReportCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 success, 1 failure, 2 bad usage or bad input.",
                "Run 'eagle COMMAND --help' for the options of a command."})
public final class EagleCli implements Runnable {
    /** Exit status for bad usage or bad input. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status for other failures. */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit status; used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The configured command line (exception mapping, case-insensitive enum values). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EagleCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || (parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose"));
            if (verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            String name = cmd.getCommandSpec().qualifiedName();
            if (ex instanceof InvalidInputException) {
                cmd.getErr().println(name + ": " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            cmd.getErr().println(name + ": error: " + oneLine(ex) + (verbose ? "" : " (run with --verbose for details)"));
            return EXIT_FAILURE;
        });
        return cli;
    }

    private static String oneLine(Throwable ex) {
        String message = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
        return message.replace('\n', ' ');
    }

    /** Supplies {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"eagle4j " + Version.get()};
        }
    }
}
