package io.github.eagle4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code eagle completion} prints a script that a real bash sources: it registers a completion for {@code eagle},
 * and asking it to complete a command line (as bash does on TAB, through COMP_WORDS and COMP_CWORD) offers the
 * commands, the options of a command and the values of an option.
 */
class CompletionCommandTest {
    private static final Path BASH = Path.of("/bin/bash");

    @TempDir
    Path dir;

    /** What the script offers for the last word of {@code words}, one candidate a line. */
    private List<String> complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append('\'').append(w).append("' ");
        }
        String program = "source '" + script + "' || exit 9\n"
                + "complete -p eagle >/dev/null || exit 8\n"
                + "COMP_WORDS=(" + array + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_eagle eagle \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Path out = dir.resolve("completions.txt");
        Process p = new ProcessBuilder(BASH.toString(), "-c", program).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text.lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void theScriptCompletesCommandsOptionsAndValuesInARealBash() throws Exception {
        assumeTrue(Files.isExecutable(BASH), "bash is needed");
        ExplainCommandTest.Result r = eagle("completion");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        Path script = Files.writeString(dir.resolve("eagle-completion.bash"), r.out(), StandardCharsets.UTF_8);

        assertThat(complete(script, "eagle", "ex")).containsExactly("explain");
        assertThat(complete(script, "eagle", "d")).containsExactlyInAnyOrder("demo", "diagnose");
        assertThat(complete(script, "eagle", "explain", "--sea")).containsExactlyInAnyOrder("--search", "--search-scope");
        assertThat(complete(script, "eagle", "explain", "--target-w")).containsExactly("--target-word");
        assertThat(complete(script, "eagle", "diagnose", "--search", "")).containsExactly("full", "efficient", "lazy", "fast");
        assertThat(complete(script, "eagle", "evaluate", "--fill", "b")).containsExactly("black", "blur");
    }
}
