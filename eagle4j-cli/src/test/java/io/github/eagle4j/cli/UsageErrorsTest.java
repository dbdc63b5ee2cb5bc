package io.github.eagle4j.cli;

import org.junit.jupiter.api.Test;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad usage is one line on stderr and exit status 2: a misspelt command or option gets picocli's best guess, and a
 * required option inside a help section is still required.
 */
class UsageErrorsTest {
    private static final String NL = System.lineSeparator();

    @Test
    void aMisspeltOptionGetsASuggestion() {
        ExplainCommandTest.Result r = eagle("explain", "--serch", "lazy", "--image", "a.png", "--prompt", "p", "--out", "o");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("eagle explain: Unknown option: '--serch'. Did you mean --search? "
                + "(see 'eagle explain --help')" + NL);
        assertThat(eagle("evaluate", "--manifst", "m.jsonl", "--out", "o").err())
                .isEqualTo("eagle evaluate: Unknown option: '--manifst'. Did you mean --manifest? "
                        + "(see 'eagle evaluate --help')" + NL);
    }

    @Test
    void aMisspeltCommandGetsASuggestion() {
        ExplainCommandTest.Result r = eagle("explian", "--image", "a.png");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("eagle: Unknown command: 'explian'. Did you mean explain? (see 'eagle --help')" + NL);
        assertThat(eagle("diagnoze").err()).startsWith("eagle: Unknown command: 'diagnoze'. Did you mean diagnose?");
    }

    @Test
    void somethingNothingResemblesGetsNoGuess() {
        ExplainCommandTest.Result r = eagle("explain", "--zzzz", "--image", "a.png", "--prompt", "p", "--out", "o");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("eagle explain: Unknown option: '--zzzz' (see 'eagle explain --help')" + NL);
    }

    @Test
    void requiredOptionsInSectionsAreStillRequired() {
        ExplainCommandTest.Result r = eagle("explain", "--prompt", "p", "--out", "o");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("eagle explain: Missing required option: '--image=IMG' (see 'eagle explain --help')"
                + NL);
        assertThat(eagle("diagnose", "--image", "a.png", "--prompt", "p").err())
                .startsWith("eagle diagnose: Missing required options: '--label=WORD', '--out=DIR'");
        assertThat(eagle("explain", "--help").status()).isZero();
    }

    @Test
    void targetIndexAndTargetWordExcludeEachOther() {
        ExplainCommandTest.Result r = eagle("explain", "--image", "a.png", "--prompt", "p", "--out", "o",
                "--target-index", "0", "--target-word", "red");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("eagle explain: --target-index and --target-word cannot be used together" + NL);
    }

    @Test
    void serverSettingsTheLibraryNamesByKeyAreShownAsTheirOptions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        String image = ExplainCommandTest.redSquareImage(dir).toString();
        // a port nothing listens on: the settings are refused before any connection
        ExplainCommandTest.Result r = eagle("generate", "--model", "http://127.0.0.1:9", "--image", image, "--prompt", "p",
                "--retries", "99");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("eagle generate: --retries must be between 0 and 50, got 99" + NL);
    }
}
