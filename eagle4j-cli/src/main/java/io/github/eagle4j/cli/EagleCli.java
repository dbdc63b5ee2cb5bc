package io.github.eagle4j.cli;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ModelProvider;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TextExplainer;
import io.github.eagle4j.openai.ServerSettings;
import io.github.eagle4j.Version;
import io.github.eagle4j.VisibleText;
import io.github.eagle4j.diagnosis.Diagnoser;
import io.github.eagle4j.evaluation.dataset.DataSetEvaluator;
import io.github.eagle4j.evaluation.dataset.Manifest;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code eagle} command: parse, run the library, map failures to one line and an exit status
 * (0 success, 1 failure, 2 bad usage or bad input). An {@link OutOfMemoryError} is one line with the heap size and
 * how to raise it; everything printed passes through {@link VisibleWriter}, so text from files and models cannot
 * send control or bidirectional-override characters to the terminal.
 */
@Command(name = "eagle",
        mixinStandardHelpOptions = true,
        versionProvider = EagleCli.VersionProvider.class,
        description = {"Explains why a vision-language model generated particular tokens: which image regions they rest on (EAGLE, arXiv 2509.22496), how faithful that is, and what came from the language prior.", ""},
        subcommands = {DemoCommand.class, GenerateCommand.class, ExplainCommand.class, DiagnoseCommand.class, EvaluateCommand.class, ReportCommand.class, BenchCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status: 0 success, 1 failure, 2 bad usage or bad input.",
                "Run 'eagle COMMAND --help' for the options of a command."})
public final class EagleCli implements Runnable {
    /** The option that prints stack traces; declared once here and inherited by every command. */
    static final String VERBOSE = "--verbose";

    /** Exit status for bad usage or bad input. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status for other failures. */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = VERBOSE, scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    /** {@code --progress} / {@code --no-progress}: force the progress line on or off; {@code null}: on a terminal. */
    @CommandLine.Option(names = "--progress", negatable = true, scope = CommandLine.ScopeType.INHERIT,
            description = "Draw a progress line with ETA on stderr (default: only when stderr is a terminal); "
                    + "--no-progress: never.")
    Boolean progress;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // a worker thread that runs out of memory would print its stack trace; the main thread reports it in one line
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> {
            if (outOfMemoryCause(ex) == null) {
                System.err.println("eagle: error in thread " + thread.getName() + ": " + VisibleText.of(oneLine(ex)));
            }
        });
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit status; used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        PrintWriter visibleOut = new PrintWriter(new VisibleWriter(out), true);
        PrintWriter visibleErr = new PrintWriter(new VisibleWriter(err), true);
        cli.setOut(visibleOut);
        cli.setErr(visibleErr);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            visibleErr.println("eagle: error: " + outOfMemory(e));
            return EXIT_FAILURE;
        } finally {
            visibleOut.flush();
            visibleErr.flush();
        }
    }

    /** One line for an {@link OutOfMemoryError}: how much heap there was and how to get more, no stack trace. */
    static String outOfMemory(OutOfMemoryError e) {
        long mb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        return String.format(java.util.Locale.ROOT, "out of memory (%s, Java heap at most %d MB): give Java more, e.g."
                + " EAGLE4J_JAVA_OPTS=-Xmx8g ./eagle ... (or java -Xmx8g -jar eagle.jar ...), or use a smaller image, fewer"
                + " --regions or a smaller --batch-size", e.getMessage() == null ? "no detail" : e.getMessage(), mb);
    }

    /** An {@link OutOfMemoryError} anywhere in {@code ex}'s causes, or {@code null}. */
    static OutOfMemoryError outOfMemoryCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }

    /** The configured command line (exception mapping, case-insensitive enum values). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EagleCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // plain help text: escape sequences would be shown as text by the visible writers
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        arrangeHelp(cli);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + message(ex) + suggestion(ex)
                    + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionStrategy(parseResult -> {
            RequiredOptions.check(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            boolean verbose = false;
            for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
                verbose |= p.hasMatchedOption(VERBOSE);
            }
            if (verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            String name = cmd.getCommandSpec().qualifiedName();
            OutOfMemoryError oom = outOfMemoryCause(ex);
            if (oom != null) {
                cmd.getErr().println(name + ": error: " + outOfMemory(oom));
                return EXIT_FAILURE;
            }
            if (ex instanceof InvalidInputException invalid) {
                cmd.getErr().println(name + ": " + invalid.describedAs(option(invalid.input())));
                return EXIT_BAD_INPUT;
            }
            cmd.getErr().println(name + ": error: " + oneLine(ex) + (verbose ? "" : " (run with --verbose for details)"));
            return EXIT_FAILURE;
        });
        return cli;
    }

    /**
     * On every help screen: the options of no section (help, version, verbose) under one heading, and a short synopsis
     * that names the required options and leaves the rest to the sections.
     */
    private static void arrangeHelp(CommandLine cmd) {
        CommandLine.Model.CommandSpec spec = cmd.getCommandSpec();
        // after a list of parameters a blank line; after the description there is one already
        spec.usageMessage().optionListHeading((spec.positionalParameters().isEmpty() ? "" : "%n") + HelpSections.GENERAL)
                .commandListHeading("%nCommands:%n");
        if (!spec.argGroups().isEmpty()) {
            StringBuilder synopsis = new StringBuilder(spec.qualifiedName());
            for (CommandLine.Model.OptionSpec o : spec.options()) {
                if (o.required()) {
                    synopsis.append(' ').append(o.longestName()).append(' ').append(o.paramLabel());
                }
            }
            synopsis.append(" [OPTIONS]");
            spec.positionalParameters().forEach(p -> synopsis.append(' ').append(p.paramLabel()));
            spec.usageMessage().customSynopsis(synopsis.toString());
        }
        cmd.getSubcommands().values().forEach(EagleCli::arrangeHelp);
    }

    /**
     * picocli's message, except for an unknown option or command: picocli lists an option with the words after it
     * ("Unknown options: '--serch', 'lazy'") and a command as an argument ("Unmatched argument at index 0"); this
     * names the option or command alone.
     */
    private static String message(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            if (unmatched.isUnknownOption()) {
                return "Unknown option: '" + first + "'";
            }
            if (!ex.getCommandLine().getSubcommands().isEmpty()) {
                return "Unknown command: '" + first + "'";
            }
        }
        return ex.getMessage();
    }

    /**
     * picocli's best guess for a misspelt command or option, e.g. {@code ". Did you mean --search?"}, or nothing when
     * it has none.
     */
    private static String suggestion(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            return ". Did you mean " + unmatched.getSuggestions().get(0) + "?";
        }
        return "";
    }

    /** The option that gives the library input a message names by its API name (itself when no option does). */
    static String option(String input) {
        if (input == null) {
            return null;
        }
        return switch (input) {
            case Diagnoser.LABEL_WORD -> "--label";
            case TargetSelection.INDICES -> "--target-index";
            case TargetSelection.WORD -> "--target-word";
            case TextExplainer.PROMPT -> "--prompt";
            case TextExplainer.MODE -> "--text-regions";
            case TextExplainer.MASK -> "--text-mask";
            case ServerSettings.BACKEND -> "--backend";
            case ServerSettings.SERVED_MODEL -> "--served-model";
            case ServerSettings.API_KEY_ENV -> "--api-key-env";
            case ServerSettings.CONCURRENCY -> "--concurrency";
            case ServerSettings.TIMEOUT_SECONDS -> "--timeout";
            case ServerSettings.RETRIES -> "--retries";
            case ServerSettings.BATCH_SIZE -> "--batch-size";
            case ServerSettings.CHAT_FORMAT -> "--chat-format";
            case ServerSettings.PAD_TOKEN -> "--pad-token";
            case ExplainOptions.BUDGET -> "--budget";
            case ExplainOptions.EARLY_STOP -> "--early-stop";
            case ModelProvider.MODEL -> "--model";
            case DataSetEvaluator.OUT -> "--out";
            case DataSetEvaluator.INPUTS -> "--merge";
            case Manifest.FILE -> "--manifest";
            default -> input;
        };
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
