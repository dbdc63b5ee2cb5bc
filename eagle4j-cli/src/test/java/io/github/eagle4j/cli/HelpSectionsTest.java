package io.github.eagle4j.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command's help shows its options in sections (input, regions, search, model, server, output), every option
 * of the commands as they were before the sections is still there under the same name with the same default, and
 * {@code --verbose} is declared once yet accepted after any command.
 */
class HelpSectionsTest {
    private static final List<String> MODEL = List.of("--model", "--dtype", "--backend", "--threads", "--batch-size",
            "--parallel");
    private static final List<String> SERVER = List.of("--served-model", "--api-key-env", "--endpoint", "--concurrency",
            "--timeout", "--retries", "--chat-format", "--pad-token");
    private static final List<String> REGIONS = List.of("--regions", "--grid", "--regions-file");
    private static final List<String> SEARCH = List.of("--search", "--lambda1", "--lambda2", "--fill", "--search-scope",
            "--pending-samples", "--update-step", "--lazy-batch", "--early-stop", "--budget", "--fast-window",
            "--fast-explore", "--verify-steps", "--allow-large-search");

    /** The options each command had before they were arranged in sections (plus the model options). */
    private static Map<String, List<String>> optionsBefore() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("explain", List.of("--image", "--prompt", "--answer", "--target-index", "--target-word", "--each-token",
                "--method", "--baseline-samples", "--seed", "--gt-box", "--gt-mask", "--max-new-tokens", "--out"));
        m.put("diagnose", List.of("--image", "--prompt", "--label", "--max-new-tokens", "--generation-threads",
                "--gt-box", "--gt-mask", "--out"));
        m.put("evaluate", List.of("--manifest", "--out", "--shard", "--merge", "--compare", "--baseline-samples",
                "--compare-at-budget", "--seed", "--max-new-tokens", "--diagnosis-max-new-tokens",
                "--generation-threads", "--skip-bad-items"));
        m.put("demo", List.of("--seed", "--object", "--regions", "--search", "--out"));
        m.put("generate", List.of("--image", "--prompt", "--max-new-tokens"));
        m.put("bench", List.of("--image"));
        return m;
    }

    private static CommandSpec spec(String command) {
        return EagleCli.commandLine().getSubcommands().get(command).getCommandSpec();
    }

    @Test
    void noOptionIsLostAndEveryCommandThatExplainsSharesTheSameSections() {
        optionsBefore().forEach((command, names) -> {
            CommandSpec spec = spec(command);
            for (String name : names) {
                assertThat(spec.findOption(name)).as("eagle %s %s", command, name).isNotNull();
            }
            for (String name : concat(MODEL, SERVER, List.of("--verbose", "--help", "--version"))) {
                assertThat(spec.findOption(name)).as("eagle %s %s", command, name).isNotNull();
            }
        });
        for (String command : List.of("explain", "diagnose", "evaluate", "demo")) {
            for (String name : concat(REGIONS, SEARCH)) {
                assertThat(spec(command).findOption(name)).as("eagle %s %s", command, name).isNotNull();
            }
        }
    }

    @Test
    void defaultsAreTheOnesTheOptionsHadBefore() {
        Map<String, String> explain = Map.ofEntries(Map.entry("--regions", "64"), Map.entry("--search", "full"),
                Map.entry("--lambda1", "1.0"), Map.entry("--lambda2", "1.0"), Map.entry("--fill", "black"),
                Map.entry("--search-scope", "10"), Map.entry("--pending-samples", "8"), Map.entry("--update-step", "5"),
                Map.entry("--lazy-batch", "0"), Map.entry("--fast-window", "1"), Map.entry("--fast-explore", "2"),
                Map.entry("--verify-steps", "0"), Map.entry("--method", "eagle"), Map.entry("--baseline-samples", "1000"),
                Map.entry("--seed", "0"), Map.entry("--max-new-tokens", "128"), Map.entry("--threads", "0"),
                Map.entry("--batch-size", "0"), Map.entry("--parallel", "0"), Map.entry("--concurrency", "0"));
        explain.forEach((name, value) -> assertThat(spec("explain").findOption(name).defaultValue())
                .as("default of eagle explain %s", name).isEqualTo(value));
        assertThat(spec("explain").findOption("--early-stop").fallbackValue()).isEqualTo("0.01");
        assertThat(spec("diagnose").findOption("--max-new-tokens").defaultValue()).isEqualTo("8");
        assertThat(spec("demo").findOption("--seed").defaultValue()).isEqualTo("7");
        assertThat(spec("demo").findOption("--out").defaultValue()).isEqualTo("demo-out");
        assertThat(spec("evaluate").findOption("--diagnosis-max-new-tokens").defaultValue()).isEqualTo("8");
        for (String required : List.of("--image", "--out")) {
            assertThat(spec("explain").findOption(required).required()).as(required).isTrue();
        }
        // --prompt or --conversation: the command checks that one gives the question
        assertThat(spec("explain").findOption("--prompt").required()).isFalse();
        assertThat(spec("explain").findOption("--conversation").group().heading()).isEqualTo(HelpSections.INPUT);
    }

    @Test
    void theVideoOptionsSitInTheInputSectionWithNoDefault() {
        assertThat(spec("explain").findOption("--temporal-pairs").group().heading()).isEqualTo(HelpSections.INPUT);
        assertThat(spec("explain").findOption("--temporal-pairs").defaultValue()).isNull();
        for (String command : List.of("explain", "generate", "diagnose")) {
            for (String name : List.of("--video", "--video-fps", "--video-frames")) {
                OptionSpec o = spec(command).findOption(name);
                assertThat(o).as("eagle %s %s", command, name).isNotNull();
                assertThat(o.group().heading()).as("eagle %s %s", command, name).isEqualTo(HelpSections.INPUT);
                assertThat(o.defaultValue()).as("default of eagle %s %s", command, name).isNull();
                assertThat(o.required()).isFalse();
            }
        }
    }

    @Test
    void everyOptionOfACommandSitsInASection() {
        Set<String> general = Set.of("--help", "--version", "--verbose", "--progress");
        EagleCli.commandLine().getSubcommands().forEach((name, sub) -> {
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (!general.contains(o.longestName())) {
                    assertThat(o.group()).as("eagle %s %s is in no help section (HelpSections)", name, o.longestName())
                            .isNotNull();
                    assertThat(o.group().heading()).as("eagle %s %s", name, o.longestName()).isNotBlank();
                }
            }
        });
    }

    @Test
    void explainsHelpShowsTheSectionsInOrderAndTheRequiredOptionsInItsSynopsis() {
        ExplainCommandTest.Result r = eagle("explain", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Usage: eagle explain --image IMG --out DIR [OPTIONS]")
                .containsSubsequence("General:", "--verbose", "Input:", "--image=IMG", "--prompt=TEXT", "--conversation=FILE.json", "Targets", "--target-word",
                        "Regions:", "--grid", "Search:", "--search=KIND", "Method:", "--method", "Ground truth",
                        "--gt-box", "Model:", "--model", "Inference server", "--served-model", "Output:", "--out=DIR");
        assertThat(eagle("diagnose", "--help").out()).containsSubsequence("Input:", "--label", "Regions:", "Search:",
                "Method:", "--method", "Model:", "Output:");
        assertThat(eagle("evaluate", "--help").out()).containsSubsequence("Data set:", "--manifest", "Regions:",
                "Search:", "Baselines:", "--compare", "Model:", "Output:");
    }

    @Test
    void verboseIsDeclaredOnceAndWorksAfterAnyCommand() {
        long declared = EagleCli.commandLine().getSubcommands().values().stream()
                .filter(sub -> sub.getCommandSpec().findOption("--verbose").inherited()).count();
        assertThat(declared).as("commands that inherit --verbose from eagle")
                .isEqualTo(EagleCli.commandLine().getSubcommands().values().stream()
                        .filter(sub -> sub.getCommandSpec().findOption("--verbose") != null).count());
        ExplainCommandTest.Result quiet = eagle("report", "no-such-folder");
        assertThat(quiet.status()).isEqualTo(2);
        assertThat(quiet.err()).isEqualTo("eagle report: folder no-such-folder does not exist" + System.lineSeparator());
        for (String[] args : List.of(new String[]{"report", "no-such-folder", "--verbose"},
                new String[]{"--verbose", "report", "no-such-folder"})) {
            ExplainCommandTest.Result loud = eagle(args);
            assertThat(loud.status()).isEqualTo(2);
            assertThat(loud.err()).contains("InvalidInputException", "\tat io.github.eagle4j.cli.ReportCommand.call")
                    .endsWith("eagle report: folder no-such-folder does not exist" + System.lineSeparator());
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    @Test
    void theSynopsisOfACommandWithoutSectionsIsPicoclis() {
        assertThat(eagle("report", "--help").out()).startsWith("Usage: eagle report [-hV] [--[no-]progress] [--verbose] DIR");
    }
}
