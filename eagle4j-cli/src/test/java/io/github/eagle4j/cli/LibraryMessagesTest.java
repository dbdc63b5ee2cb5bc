package io.github.eagle4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library names a bad input by its API name ({@code targetIndices}, {@code targetWord}); each front end shows
 * its own name for it: {@code explain} its option, {@code evaluate} the manifest's field.
 */
class LibraryMessagesTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    @Test
    void explainNamesItsOptions() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        ExplainCommandTest.Result index = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--answer", "a red square .", "--target-index", "40", "--grid", "4x4",
                "--out", dir.resolve("a").toString());
        assertThat(index.status()).isEqualTo(2);
        assertThat(index.err()).startsWith("eagle explain: --target-index 40 is outside the answer").endsWith(NL)
                .doesNotContain("targetIndices");
        ExplainCommandTest.Result word = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--answer", "a red square .", "--target-word", "zebra", "--grid",
                "4x4", "--out", dir.resolve("b").toString());
        assertThat(word.status()).isEqualTo(2);
        assertThat(word.err()).startsWith("eagle explain: --target-word 'zebra' is not a word of the answer");
    }

    @Test
    void evaluateNamesTheManifestsFields() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        TestImages.patch(data, "red.png", 40, 8, YesNoModel.RED);
        Path manifest = Files.writeString(data.resolve("m.jsonl"), "{\"id\": \"z\", \"image\": \"red.png\", "
                + "\"prompt\": \"Describe the image.\", \"answer\": \"a red square .\", \"targets\": \"zebra\"}\n"
                + "{\"id\": \"i\", \"image\": \"red.png\", \"prompt\": \"Describe the image.\", "
                + "\"answer\": \"a red square .\", \"targets\": [40]}\n");
        ExplainCommandTest.Result word = eagle("evaluate", "--model", "toy:yes-no", "--manifest", manifest.toString(),
                "--out", dir.resolve("out").toString(), "--grid", "4x4", "--skip-bad-items");
        assertThat(word.status()).as(word.err()).isZero();
        assertThat(word.err()).contains("manifest line 1 (z): 'targets' word 'zebra' is not a word of the answer",
                "manifest line 2 (i): 'targets' 40 is outside the answer").doesNotContain("--target", "targetWord");
    }

    @Test
    void badVideoItemsNameTheManifestLineAndField() throws IOException {
        Path data = Files.createDirectories(dir.resolve("videos"));
        Files.writeString(data.resolve("garbage.mp4"), "not a video");
        String video = "\"video\": \"" + Path.of("../fixtures/video/moving.mp4").toAbsolutePath().toString().replace("\\", "\\\\") + "\"";
        Path manifest = Files.writeString(data.resolve("m.jsonl"),
                "{\"id\": \"g\", \"video\": \"garbage.mp4\", \"prompt\": \"What moves?\", \"answer\": \"A circle.\"}\n"
                        + "{\"id\": \"n\", " + video + ", \"videoFrames\": 40, \"prompt\": \"What moves?\", \"answer\": \"A circle.\"}\n");
        ExplainCommandTest.Result r = eagle("evaluate", "--model", "../fixtures/models/tiny-random-qwen2-vl", "--manifest",
                manifest.toString(), "--out", dir.resolve("out-v").toString(), "--grid", "2x2", "--skip-bad-items");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("manifest line 1 (g): 'video'", "cannot decode the video", "manifest line 2 (n): 'videoFrames'")
                .doesNotContain("--video", "Exception");
        Path images = Files.writeString(data.resolve("i.jsonl"),
                "{\"id\": \"t\", " + video + ", \"prompt\": \"What moves?\", \"answer\": \"yes\"}\n");
        ExplainCommandTest.Result toy = eagle("evaluate", "--model", "toy:yes-no", "--manifest", images.toString(),
                "--out", dir.resolve("out-t").toString(), "--grid", "2x2", "--skip-bad-items");
        assertThat(toy.status()).as(toy.err()).isZero();
        assertThat(toy.err()).contains("manifest line 1 (t): 'video': model", "takes no video");
    }

    @Test
    void evaluateNamesItsOptionsForTheEnginesInputs() throws IOException {
        Path missing = dir.resolve("missing.jsonl");
        ExplainCommandTest.Result manifest = eagle("evaluate", "--model", "toy:yes-no", "--manifest", missing.toString(),
                "--out", dir.resolve("out").toString(), "--grid", "4x4");
        assertThat(manifest.status()).isEqualTo(2);
        assertThat(manifest.err()).isEqualTo("eagle evaluate: --manifest " + missing + ": no such file" + NL);

        Path data = Files.createDirectories(dir.resolve("data"));
        TestImages.patch(data, "red.png", 40, 8, YesNoModel.RED);
        Path good = Files.writeString(data.resolve("m.jsonl"), "{\"id\": \"a\", \"image\": \"red.png\", "
                + "\"prompt\": \"Describe the image.\", \"answer\": \"a red square .\", \"targets\": \"red\"}\n");
        Path file = Files.writeString(dir.resolve("taken"), "not a folder");
        ExplainCommandTest.Result out = eagle("evaluate", "--model", "toy:yes-no", "--manifest", good.toString(),
                "--out", file.toString(), "--grid", "4x4");
        assertThat(out.status()).isEqualTo(2);
        assertThat(out.err()).isEqualTo("eagle evaluate: --out " + file + " is a file, not a folder" + NL);

        Path notOutput = Files.createDirectories(dir.resolve("plain"));
        ExplainCommandTest.Result merge = eagle("evaluate", "--merge", notOutput.toString(),
                "--out", dir.resolve("merged").toString());
        assertThat(merge.status()).isEqualTo(2);
        assertThat(merge.err()).startsWith("eagle evaluate: --merge " + notOutput + " is not an eagle evaluate output");
    }

    @Test
    void explainNamesTheBudgetAndEarlyStopOptions() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        ExplainCommandTest.Result early = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--target-word", "red", "--grid", "4x4", "--search", "efficient",
                "--early-stop", "0.05", "--out", dir.resolve("e").toString());
        assertThat(early.status()).isEqualTo(2);
        assertThat(early.err()).isEqualTo("eagle explain: --early-stop works with search 'full' or 'lazy', not "
                + "'efficient'" + NL);
    }
}
