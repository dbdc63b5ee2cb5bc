package io.github.eagle4j.cli;

/**
 * The sections of every command's help, in the order they are shown: each is a picocli argument group
 * ({@code @ArgGroup(validate = false, heading = ..., order = ...)}) that only arranges the help. Shared sections are
 * declared once in a mixin ({@link ModelOptions}, {@link RegionOptions}, {@link SearchOptions}, {@link MethodOptions},
 * {@link GroundTruthOptions}, {@link OutputOptions}); a command's own sections use the same headings and orders.
 *
 * <p>picocli does not check {@code required} options inside such groups; {@link EagleCli} does, for every command.
 */
final class HelpSections {
    static final String INPUT = "%nInput:%n";
    static final int INPUT_ORDER = 10;
    static final String TARGETS = "%nTargets (default: every answer token):%n";
    static final int TARGETS_ORDER = 20;
    static final String REGIONS = "%nRegions:%n";
    static final int REGIONS_ORDER = 30;
    static final String SEARCH = "%nSearch:%n";
    static final int SEARCH_ORDER = 40;
    static final String METHOD = "%nMethod:%n";
    static final int METHOD_ORDER = 50;
    static final String GROUND_TRUTH = "%nGround truth (pointing game):%n";
    static final int GROUND_TRUTH_ORDER = 60;
    static final String MODEL = "%nModel:%n";
    static final int MODEL_ORDER = 70;
    static final String SERVER = "%nInference server (--model URL):%n";
    static final int SERVER_ORDER = 80;
    static final String OUTPUT = "%nOutput:%n";
    static final int OUTPUT_ORDER = 90;
    /** Heading of the options in no section: help, version, verbose, progress. */
    static final String GENERAL = "General:%n";

    private HelpSections() {
    }
}
