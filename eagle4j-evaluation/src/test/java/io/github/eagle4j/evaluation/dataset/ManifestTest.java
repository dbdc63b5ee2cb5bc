package io.github.eagle4j.evaluation.dataset;

import io.github.eagle4j.InvalidInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The manifest parser reads each line strictly: what it cannot read exactly is refused with the line and field. */
class ManifestTest {
    static final String A = "{\"id\": \"a\", \"image\": \"img.png\", \"prompt\": \"Describe the image.\"}";
    static final String B = "{\"id\": \"b\", \"image\": \"img.png\", \"prompt\": \"Is there a red square?\", \"label\": \"no\"}";

    @TempDir
    Path dir;
    Path file;

    /** A 64×48 image beside the manifest. */
    static void writeImage(Path dir) throws IOException {
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("img.png").toFile());
    }

    @BeforeEach
    void image() throws IOException {
        writeImage(dir);
        file = dir.resolve("m.jsonl");
    }

    private Manifest parse(String text) {
        return Manifest.parse(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private void refused(String text, String... parts) {
        refused(text.getBytes(StandardCharsets.UTF_8), parts);
    }

    private void refused(byte[] bytes, String... parts) {
        assertThatThrownBy(() -> Manifest.parse(file, bytes)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("manifest " + file).hasMessageContainingAll(parts)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void lfAndCrlfLineEndingsAndABomReadTheSameItems() {
        Manifest lf = parse(A + "\n\n" + B + "\n");
        Manifest crlf = parse("\uFEFF" + A + "\r\n\r\n" + B + "\r\n");
        Manifest noFinalNewline = parse(A + "\n\n" + B);
        for (Manifest m : List.of(lf, crlf, noFinalNewline)) {
            assertThat(m.ids()).containsExactly("a", "b");
            assertThat(m.items().get(1).line()).isEqualTo(3);
            assertThat(m.items().get(1).index()).isEqualTo(1);
            assertThat(m.items().get(1).label()).isEqualTo("no");
        }
    }

    @Test
    void severalImagesAreListedInPromptOrderAndBadListsAreRefusedNamingTheField() {
        Manifest m = parse("{\"id\": \"p\", \"images\": [\"img.png\", \"img.png\"], \"prompt\": \"Which?\","
                + " \"box\": [64, 0, 128, 48]}\n" + A + "\n");
        Manifest.Item pair = m.items().get(0);
        assertThat(pair.images()).containsExactly(dir.resolve("img.png"), dir.resolve("img.png"));
        assertThat(pair.image()).isEqualTo(dir.resolve("img.png"));
        assertThat(pair.severalImages()).isTrue();
        assertThat(m.items().get(1).images()).containsExactly(dir.resolve("img.png"));
        assertThat(m.items().get(1).severalImages()).isFalse();
        String p = "\"prompt\": \"Which?\"";
        refused("{\"images\": [\"img.png\"], " + p + "}", "line 1", "'images' must be a list of two or more");
        refused("{\"images\": \"img.png\", " + p + "}", "line 1", "'images' must be a list");
        refused("{\"image\": \"img.png\", \"images\": [\"img.png\", \"img.png\"], " + p + "}", "line 1",
                "'image' or 'images', not both");
        refused("{\"images\": [\"img.png\", 3], " + p + "}", "line 1", "'images' entry 1 must be a file name");
        refused("{\"images\": [\"img.png\", \"nope.png\"], " + p + "}", "line 1", "images[1] 'nope.png' does not exist");
        // the box is on the canvas of the images side by side: 128x48
        refused("{\"images\": [\"img.png\", \"img.png\"], " + p + ", \"box\": [64, 0, 129, 48]}", "line 1",
                "not inside the 128x48 canvas of the images side by side");
    }

    @Test
    void aVideoIsAFileOrAFolderWithItsSamplingAndCannotBeMixedWithImagesOrACanvasBox() throws IOException {
        java.nio.file.Files.createDirectories(dir.resolve("frames"));
        Manifest m = parse("{\"id\": \"v\", \"video\": \"frames\", \"videoFps\": 2, \"prompt\": \"What moves?\"}\n"
                + "{\"id\": \"w\", \"video\": \"img.png\", \"videoFrames\": 4, \"prompt\": \"Is it red?\", \"label\": \"no\"}\n");
        Manifest.Item v = m.items().get(0);
        assertThat(v.hasVideo()).isTrue();
        assertThat(v.video()).isEqualTo(new Manifest.Video(dir.resolve("frames"), null, 2.0));
        assertThat(v.image()).isNull();
        assertThat(v.images()).isEmpty();
        assertThat(v.severalImages()).isFalse();
        assertThat(m.items().get(1).video()).isEqualTo(new Manifest.Video(dir.resolve("img.png"), 4, null));
        assertThat(m.items().get(1).labelled()).isTrue();
        String p = "\"prompt\": \"What moves?\"";
        refused("{\"video\": \"nope.mp4\", " + p + "}", "line 1", "video 'nope.mp4' does not exist");
        refused("{\"video\": \"frames\", \"image\": \"img.png\", " + p + "}", "line 1", "'video' or 'image', not both");
        refused("{\"video\": \"frames\", \"images\": [\"img.png\", \"img.png\"], " + p + "}", "line 1",
                "'video' or 'images', not both");
        refused("{\"image\": \"img.png\", \"videoFps\": 2, " + p + "}", "line 1", "'videoFps' needs 'video'");
        refused("{\"video\": \"frames\", \"videoFps\": 2, \"videoFrames\": 4, " + p + "}", "line 1",
                "'videoFps' or 'videoFrames', not both");
        refused("{\"video\": \"frames\", \"videoFps\": 0, " + p + "}", "line 1", "'videoFps' must be a positive number");
        refused("{\"video\": \"frames\", \"videoFrames\": 1.5, " + p + "}", "line 1", "'videoFrames' must be a whole number");
        refused("{\"video\": \"frames\", \"box\": [0, 0, 4, 4], " + p + "}", "line 1", "'box' cannot be combined with 'video'");
    }

    @Test
    void crOnlyLineEndingsAreRefused() {
        refused(A + "\r" + B + "\r", "line 1", "carriage return");
        refused(A + "\n" + B + "\r" + A.replace("\"a\"", "\"c\""), "line 2", "carriage return");
    }

    @Test
    void textAfterTheObjectIsRefused() {
        refused(A + " xyz", "line 1", "text after the JSON object");
        refused(A + "\n" + B + " " + A.replace("\"a\"", "\"c\""), "line 2", "text after the JSON object");
        refused(A + "}", "line 1", "text after");
        refused("[" + A + "]", "line 1", "expected a JSON object");
    }

    @Test
    void invalidUtf8AndDuplicateKeysAreRefused() {
        byte[] bad = (A + "\n" + A.replace("\"a\"", "\"c\"").replace("Describe", "Descr\u00e9be"))
                .getBytes(StandardCharsets.UTF_8);
        // é is C3 A9 in UTF-8; C3 followed by '(' is malformed
        for (int i = 0; i < bad.length - 1; i++) {
            if ((bad[i] & 0xFF) == 0xC3) {
                bad[i + 1] = '(';
            }
        }
        refused(bad, "line 2", "not valid UTF-8");
        refused("{\"id\": \"a\", \"image\": \"img.png\", \"prompt\": \"x\", \"prompt\": \"y\"}", "line 1",
                "'prompt' is given twice");
        refused("{\"id\": \"a\", \"image\": \"img.png\", \"prompt\": \"x\", \"meta\": {\"k\": 1, \"k\": 2}}", "line 1",
                "'k' is given twice");
    }

    @Test
    void fieldsThatCannotBeHonouredAreRefusedWithTheirName() {
        String base = "{\"id\": \"a\", \"image\": \"img.png\", \"prompt\": \"Describe.\"";
        refused(base + ", \"box\": [10, 10, 65, 20]}", "line 1", "'box'", "not inside", "64x48");
        refused(base + ", \"box\": [-1, 0, 10, 10]}", "'box'", "not inside");
        refused(base + ", \"box\": [0, 0, 64, 49]}", "'box'", "not inside");
        assertThat(parse(base + ", \"box\": [0, 0, 64, 48]}").items().get(0).box()).containsExactly(0, 0, 64, 48);
        refused(base + ", \"label\": \"no\", \"answer\": \"yes\"}", "'label'", "'answer'");
        refused(base + ", \"label\": \"no\", \"targets\": \"red\"}", "'label'", "'targets'");
        refused(base + ", \"label\": \"no\", \"targetOccurrence\": 2}", "'label'", "'targetOccurrence'");
        refused(base + ", \"answer\": \"\"}", "line 1", "'answer' is empty");
        refused(base + ", \"answer\": \"  \"}", "'answer' is empty");
        refused(base.replace("\"a\"", "\"" + "x".repeat(300) + "\"") + "}", "line 1", "'id' is 300 characters");
        assertThat(parse(base.replace("\"a\"", "\"" + "x".repeat(Manifest.MAX_ID_LENGTH) + "\"") + "}").ids())
                .hasSize(1);
        refused(base + ", \"image\": \"img.png\"}", "'image' is given twice");
        refused(A + "\n" + A, "line 2", "id 'a' is used twice");
        // the file's own text in a message cannot break the line or drive the terminal
        refused("{\"a\\nb\": 1}", "line 1", "unknown field 'a\\u000Ab'");
        refused("{\"id\": \"x\\u001b[31m\", \"image\": \"img.png\", \"prompt\": \"p\"}", "id 'x\\u001B[31m'");
        refused(A + "\n" + A.replace("\"a\"", "\"A\""), "line 2", "only in case");
        refused("{\"id\": \"a\", \"image\": \"nope.png\", \"prompt\": \"x\"}", "line 1", "nope.png");
        refused("{\"id\": \"a\", \"image\": \"i\\u0000.png\", \"prompt\": \"x\"}", "line 1", "'image'", "not a valid path");
    }

    @Test
    void textRegionsAndAConversationAreReadAndBadOnesNamedWithTheLineAndField() throws IOException {
        java.nio.file.Files.writeString(dir.resolve("chat.json"),
                "[{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Is it red?\"}]");
        String img = "{\"image\": \"img.png\", ";
        Manifest m = parse(img + "\"prompt\": \"Is there a red square?\", \"textRegions\": {\"mode\": \"words\", \"joint\": true}}\n"
                + img + "\"conversation\": \"chat.json\", \"textRegions\": {\"mode\": \"messages\", \"mask\": \"drop\"}}\n"
                + img + "\"prompt\": \"And blue?\", \"conversation\": [{\"role\": \"user\", \"content\": \"Is it red?\"}]}\n");
        Manifest.Item words = m.items().get(0);
        assertThat(words.textRegions()).isEqualTo(new io.github.eagle4j.text.TextRegionOptions(io.github.eagle4j.text.SpanMode.WORDS,
                io.github.eagle4j.text.TextMask.PAD, true));
        assertThat(words.conversation().history()).isEmpty();
        Manifest.Item chat = m.items().get(1);
        assertThat(chat.prompt()).isEqualTo("Is it red?");
        assertThat(chat.conversation().history()).hasSize(1);
        assertThat(chat.textRegions().mask()).isEqualTo(io.github.eagle4j.text.TextMask.DROP);
        Manifest.Item appended = m.items().get(2);
        assertThat(appended.prompt()).isEqualTo("And blue?");
        assertThat(appended.conversation().history()).hasSize(1);
        assertThat(appended.textRegions()).isNull();

        refused(img + "\"prompt\": \"q\", \"textRegions\": \"words\"}", "line 1: 'textRegions' must be an object");
        refused(img + "\"prompt\": \"q\", \"textRegions\": {\"mode\": \"paragraphs\"}}",
                "line 1: 'textRegions' mode 'paragraphs' is not one of words, sentences, messages");
        refused(img + "\"prompt\": \"q\", \"textRegions\": {\"mode\": \"words\", \"mask\": \"zero\"}}",
                "line 1: 'textRegions' mask 'zero' is not one of pad, drop");
        refused(img + "\"prompt\": \"q\", \"textRegions\": {\"mode\": \"words\", \"joint\": \"yes\"}}",
                "line 1: 'textRegions' joint must be true or false");
        refused(img + "\"prompt\": \"q\", \"textRegions\": {\"mode\": \"words\", \"jointly\": true}}",
                "line 1: 'textRegions' has an unknown field 'jointly'");
        refused(img + "\"prompt\": \"q\", \"label\": \"no\", \"textRegions\": {\"mode\": \"words\"}}",
                "line 1: 'textRegions' cannot be combined with 'label'");
        refused(img + "\"conversation\": [{\"role\": \"robot\", \"content\": \"x\"}]}",
                "line 1: 'conversation': $[0].role 'robot' is not a role of system, user, assistant");
        refused(img + "\"conversation\": \"none.json\"}", "line 1: conversation 'none.json' does not exist");
        refused(img + "\"conversation\": 3}", "line 1: 'conversation' must be a file name or an array");
        refused(img + "\"answer\": \"yes\"}", "line 1: 'prompt' is missing or empty");
    }
}
