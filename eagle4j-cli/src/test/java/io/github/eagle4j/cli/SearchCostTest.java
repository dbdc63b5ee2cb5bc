package io.github.eagle4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Searches whose cost is out of proportion are said before they start: more regions than the image holds is one note
 * and a cap, a search planning more than a million images is refused naming the count, and a large one prints its
 * planned images and a time estimate.
 */
class SearchCostTest {
    @TempDir
    Path dir;

    @Test
    void tooManyRegionsAreCappedWithANoteAndTheHugeSearchIsRefused() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        ExplainCommandTest.Result r = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--regions", "100000", "--out", dir.resolve("out").toString());
        assertThat(r.status()).as(r.err()).isEqualTo(EagleCli.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("note: --regions 100000 is more than a 64x64 image holds; using 1024");
        assertThat(r.err()).contains("images, more than the 1,000,000 eagle4j runs without asking").contains("--allow-large-search");
        assertThat(r.err().strip().lines()).hasSize(2);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void theRefusalNamesTheCountAndIsLiftedByTheFlag() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        ExplainCommandTest.Result refused = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--grid", "40x40", "--out", dir.resolve("a").toString());
        assertThat(refused.status()).isEqualTo(EagleCli.EXIT_BAD_INPUT);
        assertThat(refused.err()).contains("--search full on 1600 regions may score up to 2,561,600 images");
        // with the flag the search is let through: what stops this run is the unknown model, checked next
        ExplainCommandTest.Result allowed = eagle("explain", "--model", "test:no-such-model", "--image", image.toString(),
                "--prompt", "Describe the image.", "--grid", "40x40", "--allow-large-search", "--out", dir.resolve("b").toString());
        assertThat(allowed.status()).isEqualTo(EagleCli.EXIT_BAD_INPUT);
        assertThat(allowed.err()).contains("unknown test model").doesNotContain("may score up to");
        // so is it by a budget, whatever its size
        ExplainCommandTest.Result budgeted = eagle("explain", "--model", "test:no-such-model", "--image", image.toString(),
                "--prompt", "Describe the image.", "--grid", "40x40", "--budget", "2000000", "--out", dir.resolve("e").toString());
        assertThat(budgeted.err()).contains("unknown test model").doesNotContain("may score up to");
        // the efficient search on the same regions plans far fewer images and is not refused
        ExplainCommandTest.Result efficient = eagle("explain", "--model", "test:no-such-model", "--image", image.toString(),
                "--prompt", "Describe the image.", "--grid", "40x40", "--search", "efficient", "--out", dir.resolve("c").toString());
        assertThat(efficient.err()).contains("unknown test model");
    }

    @Test
    void aLargeSearchPrintsItsPlannedImagesAndATimeEstimateFirst() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        ExplainCommandTest.Result r = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--grid", "10x10", "--out", dir.resolve("out").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).containsPattern("planned: up to 10,100 images \\(--search full on 100 regions\\); about \\d+(\\.\\d)? (s|min|h|days)"
                + " at \\d+\\.\\d ms per image \\(measured on \\d+\\)");
        ExplainCommandTest.Result small = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--grid", "4x4", "--out", dir.resolve("small").toString());
        assertThat(small.err()).doesNotContain("planned:");
    }

    @Test
    void diagnoseRefusesTheHugeSearchToo() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        ExplainCommandTest.Result r = eagle("diagnose", "--model", "toy:yes-no", "--image", image.toString(),
                "--prompt", "Is there a red square?", "--label", "square", "--grid", "40x40", "--out", dir.resolve("d").toString());
        assertThat(r.status()).as(r.err()).isEqualTo(EagleCli.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("may score up to 2,561,600 images").contains("--allow-large-search");
        assertThat(dir.resolve("d")).doesNotExist();
    }

    @Test
    void evaluateRefusesTheHugeSearchBeforeTheModelLoads() throws IOException {
        Path manifest = dir.resolve("manifest.jsonl");
        java.nio.file.Files.writeString(manifest, "{\"id\": \"a\", \"image\": \"a.png\", \"prompt\": \"Describe.\"}\n");
        ExplainCommandTest.Result r = eagle("evaluate", "--model", "test:no-such-model", "--manifest", manifest.toString(),
                "--grid", "40x40", "--out", dir.resolve("ev").toString());
        assertThat(r.status()).as(r.err()).isEqualTo(EagleCli.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("--search full on 1600 regions may score up to 2,561,600 images").contains("--allow-large-search");
        assertThat(dir.resolve("ev")).doesNotExist();
        // the flag lets it through to the next check (the image file the manifest names does not exist)
        ExplainCommandTest.Result allowed = eagle("evaluate", "--model", "test:no-such-model", "--manifest", manifest.toString(),
                "--grid", "40x40", "--allow-large-search", "--out", dir.resolve("ev2").toString());
        assertThat(allowed.err()).doesNotContain("may score up to");
    }
}
