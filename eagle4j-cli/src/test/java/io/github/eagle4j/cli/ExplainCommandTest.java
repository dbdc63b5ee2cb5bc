package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code eagle explain} end to end on a model written for the tests. */
class ExplainCommandTest {
    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    static Result eagle(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = EagleCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    /** A 64×64 grey image with a 16×16 red square at columns 40..55, rows 8..23. */
    static Path redSquareImage(Path dir) throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                boolean square = x >= 40 && x < 56 && y >= 8 && y < 24;
                img.setRGB(x, y, square ? 0xDC2828 : 0x9A9A9A + ((x * 7 + y * 3) % 9) * 0x010101);
            }
        }
        Path file = dir.resolve("square.png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void explainsTheRedSquareAndWritesTheContractFiles() throws IOException {
        Path image = redSquareImage(dir);
        Path out = dir.resolve("out");
        Result r = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--target-word", "red", "--grid", "4x4",
                "--gt-box", "40,8,56,24", "--out", out.toString());
        assertThat(r.status).as(r.err).isZero();
        assertThat(out.resolve("explanation.json")).exists();
        assertThat(out.resolve("regions.png")).exists();
        assertThat(out.resolve("attribution.png")).exists();
        assertThat(out.resolve("overlay.png")).exists();

        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(json.get("answer").asText()).isEqualTo("a red square .");
        assertThat(json.get("targets").get(0).get("token").asText()).isEqualTo("red");
        assertThat(json.get("regionCount").asInt()).isEqualTo(16);
        // With 4x4 cells of 16 px the square (x 40..55, y 8..23) straddles cells 2,3 (row 0) and 6,7 (row 1).
        int first = json.get("order").get(0).asInt();
        assertThat(first).isIn(2, 3, 6, 7);
        assertThat(json.get("pointingGame").get("box").asBoolean()).isTrue();
        // full greedy scores N(N+1) images
        assertThat(json.get("forwardPasses").asLong()).isEqualTo(16 * 17);
        assertThat(json.get("insertionCurve")).hasSize(16);
        assertThat(json.get("search").asText()).isEqualTo("full");
        assertThat(json.get("fill").asText()).isEqualTo("black");
        for (String field : List.of("prompt", "answerTokens", "deletionCurve", "areaCurve", "insertionTokenCurves",
                "deletionTokenCurves", "fullImageProbs", "blankImageProbs", "insertionAuc", "deletionAuc",
                "highestConfidence", "regionScores", "lambda1", "lambda2", "elapsedMs", "tokenReliance",
                "exactness", "approximate", "provenance")) {
            assertThat(json.has(field)).as(field).isTrue();
        }
        assertThat(json.get("provenance").get("backend").asText()).isEqualTo("test");
        assertThat(r.out).contains("insertion AUC");
    }

    @Test
    void regionsPngReplaysTheSameRegionsAndOrder() throws IOException {
        Path image = redSquareImage(dir);
        Path first = dir.resolve("first");
        assertThat(eagle("explain", "--model", "test:red-square", "--image", image.toString(), "--prompt", "Describe.",
                "--answer", "a red square .", "--target-index", "1", "--regions", "16", "--out", first.toString()).status)
                .isZero();
        Path second = dir.resolve("second");
        Result r = eagle("explain", "--model", "test:red-square", "--image", image.toString(), "--prompt", "Describe.",
                "--answer", "a red square .", "--target-index", "1", "--regions-file",
                first.resolve("regions.png").toString(), "--out", second.toString());
        assertThat(r.status).as(r.err).isZero();
        ObjectMapper m = new ObjectMapper();
        JsonNode a = m.readTree(first.resolve("explanation.json").toFile());
        JsonNode b = m.readTree(second.resolve("explanation.json").toFile());
        assertThat(b.get("order")).isEqualTo(a.get("order"));
        assertThat(b.get("regionScores")).isEqualTo(a.get("regionScores"));
        assertThat(Files.readAllBytes(second.resolve("regions.png"))).isEqualTo(Files.readAllBytes(first.resolve("regions.png")));
    }

    @Test
    void helpIsHelpful() {
        Result top = eagle("--help");
        assertThat(top.status).isZero();
        assertThat(top.out).contains("explain").contains("Exit status");
        Result explain = eagle("explain", "--help");
        assertThat(explain.status).isZero();
        assertThat(explain.out).contains("--target-word", "--regions-file", "--search", "--lambda1", "--fill", "Examples");
    }

    // ---- bad input: exit 2, one line naming the file or option, no stack trace, nothing left behind ----

    private void assertRejected(Result r, String... mentions) {
        assertThat(r.status).as(r.err).isEqualTo(2);
        List<String> lines = r.err.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(r.err).hasSize(1);
        assertThat(lines.get(0)).contains(mentions).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private void assertNothingLeftIn(Path parent, Path out) throws IOException {
        assertThat(out).doesNotExist();
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(parent)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        assertThat(names).noneMatch(n -> n.contains("partial"));
    }

    private Result explainWith(Path image, String... extra) {
        List<String> args = new ArrayList<>(List.of("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--answer", "a red square .", "--out", dir.resolve("out").toString()));
        args.addAll(List.of(extra));
        return eagle(args.toArray(String[]::new));
    }

    @Test
    void missingImage() throws IOException {
        assertRejected(explainWith(dir.resolve("nope.png")), "nope.png");
        assertNothingLeftIn(dir, dir.resolve("out"));
    }

    @Test
    void zeroByteImage() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertRejected(explainWith(empty), "empty.png");
        assertNothingLeftIn(dir, dir.resolve("out"));
    }

    @Test
    void corruptImage() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.jpg"), "this is not a JPEG at all");
        assertRejected(explainWith(bad), "bad.jpg");
        assertNothingLeftIn(dir, dir.resolve("out"));
    }

    @Test
    void unreadableLabelMap() throws IOException {
        Path image = redSquareImage(dir);
        Path labels = Files.writeString(dir.resolve("labels.png"), "garbage");
        assertRejected(explainWith(image, "--regions-file", labels.toString()), "labels.png");
        assertNothingLeftIn(dir, dir.resolve("out"));
    }

    @Test
    void labelMapOfTheWrongSize() throws IOException {
        Path image = redSquareImage(dir);
        Path labels = labelMap(dir.resolve("small.png"), 32, 32, (x, y) -> x < 16 ? 0 : 1);
        assertRejected(explainWith(image, "--regions-file", labels.toString()), "small.png", "32");
        assertNothingLeftIn(dir, dir.resolve("out"));
    }

    @Test
    void labelMapWithGapsInTheIds() throws IOException {
        Path image = redSquareImage(dir);
        Path labels = labelMap(dir.resolve("gaps.png"), 64, 64, (x, y) -> x < 32 ? 0 : 2);
        assertRejected(explainWith(image, "--regions-file", labels.toString()), "gaps.png", "1");
        assertNothingLeftIn(dir, dir.resolve("out"));
    }

    @Test
    void regionCountBelowTwo() throws IOException {
        assertRejected(explainWith(redSquareImage(dir), "--regions", "1"), "--regions");
        assertNothingLeftIn(dir, dir.resolve("out"));
    }

    @Test
    void targetIndexOutsideTheAnswer() throws IOException {
        assertRejected(explainWith(redSquareImage(dir), "--target-index", "99"), "--target-index", "99");
        assertNothingLeftIn(dir, dir.resolve("out"));
    }

    @Test
    void targetWordNotInTheAnswer() throws IOException {
        assertRejected(explainWith(redSquareImage(dir), "--target-word", "giraffe"), "--target-word", "giraffe");
        assertNothingLeftIn(dir, dir.resolve("out"));
    }

    @Test
    void unknownOptionValues() throws IOException {
        Path image = redSquareImage(dir);
        assertRejected(explainWith(image, "--search", "sideways"), "--search", "sideways");
        assertRejected(explainWith(image, "--fill", "plaid"), "--fill", "plaid");
        assertRejected(explainWith(image, "--lambda1", "-1"), "lambda");
        assertNothingLeftIn(dir, dir.resolve("out"));
    }

    @Test
    void foreignNonEmptyOutputFolderIsNotOverwritten() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("thesis.tex"), "precious");
        assertRejected(explainWith(redSquareImage(dir)), "--out");
        assertThat(out.resolve("thesis.tex")).hasContent("precious");
    }

    interface LabelFn {
        int label(int x, int y);
    }

    static Path labelMap(Path file, int w, int h, LabelFn fn) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, fn.label(x, y));
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
