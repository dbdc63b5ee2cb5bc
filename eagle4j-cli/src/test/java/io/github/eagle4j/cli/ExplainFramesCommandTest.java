package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.imageio.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code eagle explain --image A --image B}: several images in one prompt, end to end on the two-image model. */
class ExplainFramesCommandTest {
    static final String MODEL = "../fixtures/models/tiny-shapes-llava-pair";
    @TempDir
    Path dir;

    /** Two held-out scenes (seeds 70,000 and 70,001): a yellow square first, a green and a red circle second. */
    private Path[] scenes() {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        ImageFiles.writePng(ShapeScene.render(70_000).image(), a);
        ImageFiles.writePng(ShapeScene.render(70_001).image(), b);
        return new Path[] {a, b};
    }

    private static String answer() {
        return ShapeScene.render(70_000).caption() + " " + ShapeScene.render(70_001).caption();
    }

    @Test
    void explainsAWordAcrossTwoImagesAndWritesEachImagesFiles() throws IOException {
        Path[] img = scenes();
        Path out = dir.resolve("out");
        String word = uniqueShape();
        var r = eagle("explain", "--model", MODEL, "--image", img[0].toString(), "--image", img[1].toString(),
                "--prompt", "Describe the image.", "--answer", answer(), "--target-word", word, "--grid", "3x3",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        JsonNode frames = json.get("frames");
        assertThat(frames.get("count").asInt()).isEqualTo(2);
        assertThat(frames.get("images").get(1).get("x").asInt()).isEqualTo(128);
        assertThat(frames.get("regionFrames")).hasSize(18);
        assertThat(json.get("regionCount").asInt()).isEqualTo(18);
        int top = json.get("order").get(0).asInt();
        assertThat(frames.get("regionFrames").get(top).asInt()).isEqualTo(imageOf(word));
        assertThat(out.resolve("regions/frame-00.png")).exists();
        assertThat(out.resolve("regions/frame-01.png")).exists();
        assertThat(out.resolve("frames/overlay-00.png")).exists();
        assertThat(out.resolve("frames/overlay-01.png")).exists();
        assertThat(ImageFiles.read(out.resolve("image.png")).width()).isEqualTo(256);

        // regions/ replays: the same regions, so the same order
        Path again = dir.resolve("again");
        var replay = eagle("explain", "--model", MODEL, "--image", img[0].toString(), "--image", img[1].toString(),
                "--prompt", "Describe the image.", "--answer", answer(), "--target-word", word,
                "--regions-file", out.resolve("regions").toString(), "--out", again.toString());
        assertThat(replay.status()).as(replay.err()).isZero();
        JsonNode replayed = new ObjectMapper().readTree(again.resolve("explanation.json").toFile());
        assertThat(replayed.get("order")).isEqualTo(json.get("order"));
        // a missing per-image map is named in one line
        java.nio.file.Files.delete(out.resolve("regions/frame-01.png"));
        var missing = eagle("explain", "--model", MODEL, "--image", img[0].toString(), "--image", img[1].toString(),
                "--prompt", "Describe the image.", "--answer", answer(), "--target-word", word,
                "--regions-file", out.resolve("regions").toString(), "--out", dir.resolve("missing").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err().strip()).contains("frame-01.png").doesNotContain("\n");
    }

    @Test
    void theHierarchicalSearchScoresFewerImages() throws IOException {
        Path[] img = scenes();
        String word = uniqueShape();
        Path flat = dir.resolve("flat");
        Path hier = dir.resolve("hier");
        var f = eagle("explain", "--model", MODEL, "--image", img[0].toString(), "--image", img[1].toString(),
                "--prompt", "Describe the image.", "--answer", answer(), "--target-word", word, "--grid", "3x3",
                "--out", flat.toString());
        var h = eagle("explain", "--model", MODEL, "--image", img[0].toString(), "--image", img[1].toString(),
                "--prompt", "Describe the image.", "--answer", answer(), "--target-word", word, "--grid", "3x3",
                "--top-images", "1", "--out", hier.toString());
        assertThat(f.status()).as(f.err()).isZero();
        assertThat(h.status()).as(h.err()).isZero();
        JsonNode fj = new ObjectMapper().readTree(flat.resolve("explanation.json").toFile());
        JsonNode hj = new ObjectMapper().readTree(hier.resolve("explanation.json").toFile());
        assertThat(hj.at("/provenance/searchSettings/hierarchical/topFrames").asInt()).isEqualTo(1);
        assertThat(fj.at("/provenance/searchSettings/hierarchical").isMissingNode()).isTrue();
        // full greedy over 18 regions: 342; hierarchical at most 6 (images) + 90 (9 regions of the top image) + 18 (the
        // other image's 9 regions alone) + 72 (interleaving the two lists, 4 images a step), each distinct image once
        assertThat(fj.toString()).contains("\"forwardPasses\":342");
        assertThat(hj.at("/forwardPasses").asLong()).isLessThan(342 / 2);
    }

    @Test
    void aModelThatTakesOneImageRefusesTwoInOneLine() throws IOException {
        Path[] img = scenes();
        var r = eagle("explain", "--model", "test:red-square", "--image", img[0].toString(), "--image", img[1].toString(),
                "--prompt", "Describe the image.", "--answer", "a red square .", "--grid", "2x2",
                "--out", dir.resolve("o").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).contains("one image per prompt").doesNotContain("\n").doesNotContain("Exception");
        var t = eagle("explain", "--model", MODEL, "--image", img[0].toString(), "--prompt", "Describe the image.",
                "--answer", "a red square .", "--grid", "2x2", "--top-images", "1", "--out", dir.resolve("p").toString());
        assertThat(t.status()).isEqualTo(2);
        assertThat(t.err().strip()).contains("--top-images").doesNotContain("\n");
    }

    @Test
    void generatesOneAnswerForTwoImages() {
        Path[] img = scenes();
        var r = eagle("generate", "--model", MODEL, "--image", img[0].toString(), "--image", img[1].toString(),
                "--prompt", "Describe the image.", "--max-new-tokens", "32");
        assertThat(r.status()).as(r.err()).isZero();
        // the first line is the answer: a caption for each image, each ending with its full stop
        String answer = r.out().lines().findFirst().orElseThrow();
        assertThat(answer.chars().filter(c -> c == '.').count()).isEqualTo(2);
    }

    /** A shape in exactly one of the two scenes. */
    private static String uniqueShape() {
        for (String s : new String[] {"circle", "square", "triangle"}) {
            boolean inA = ShapeScene.render(70_000).objects().stream().anyMatch(o -> o.shape().equals(s));
            boolean inB = ShapeScene.render(70_001).objects().stream().anyMatch(o -> o.shape().equals(s));
            if (inA != inB) {
                return s;
            }
        }
        throw new IllegalStateException("no shape of one image only");
    }

    private static int imageOf(String shape) {
        return ShapeScene.render(70_000).objects().stream().anyMatch(o -> o.shape().equals(shape)) ? 0 : 1;
    }
}
