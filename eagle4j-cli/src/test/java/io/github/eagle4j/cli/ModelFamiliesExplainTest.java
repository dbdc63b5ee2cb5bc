package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eagle explain --model <dir>} end to end for every model family the ONNX backend supports, on the
 * fixtures' tiny exports. Random-weight models give meaningless maps, so this checks the contract and the number
 * of images scored, not the picture.
 */
class ModelFamiliesExplainTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** A 70×50 image (not a multiple of any patch or tile size) with a red square on grey. */
    static Path image(Path dir) throws IOException {
        BufferedImage img = new BufferedImage(70, 50, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 70; x++) {
                boolean square = x >= 40 && x < 60 && y >= 10 && y < 30;
                img.setRGB(x, y, square ? 0xDC2828 : 0x9A9A9A + ((x * 5 + y * 3) % 7) * 0x010101);
            }
        }
        Path file = dir.resolve("image.png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"models/tiny-shapes-llava", "fixtures/models/tiny-random-qwen2-vl",
            "fixtures/models/tiny-random-qwen2_5-vl", "fixtures/models/tiny-random-idefics3"})
    void explainsWithEveryFamily(String model) throws IOException {
        Path modelDir = REPO.resolve(model);
        assertThat(modelDir.resolve("config.json")).exists();
        Path out = dir.resolve("out");
        var r = ExplainCommandTest.eagle("explain", "--model", modelDir.toString(), "--image", image(dir).toString(),
                "--prompt", "Describe the image.", "--answer", "a red square .", "--target-index", "1", "--grid", "3x3",
                "--search", "full", "--gt-box", "40,10,60,30", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(json.get("provenance").get("backend").asText()).isEqualTo("onnx");
        assertThat(json.get("regionCount").asInt()).isEqualTo(9);
        // full greedy over N regions scores N(N+1) images
        assertThat(json.get("forwardPasses").asLong()).isEqualTo(9 * 10);
        assertThat(json.get("order")).hasSize(9);
        assertThat(json.get("insertionCurve")).hasSize(9);
        assertThat(json.get("targets")).hasSize(1);
        assertThat(json.get("targets").get(0).get("index").asInt()).isEqualTo(1);
        double full = json.get("fullImageProbs").get(0).asDouble();
        assertThat(full).isBetween(0.0, 1.0);
        // inserting every region restores the full image: the curve's last point is the full image's probability
        JsonNode ins = json.get("insertionCurve");
        assertThat(ins.get(ins.size() - 1).asDouble()).isCloseTo(full, org.assertj.core.data.Offset.offset(1e-9));
        for (String f : new String[] {"explanation.json", "regions.png", "attribution.png", "overlay.png", "report.html"}) {
            assertThat(out.resolve(f)).exists();
        }
    }

    @Test
    void theModelsOwnAnswerIsExplainedAsTheTokensItGenerated() throws IOException {
        // the random Qwen model generates bytes that are not whole UTF-8 characters: decoded and tokenised again they
        // would be other tokens, so the ONNX backend teacher-forces the generated ids themselves
        Path scene = REPO.resolve("examples/scenes/scene-002.png");
        String model = REPO.resolve("fixtures/models/tiny-random-qwen2-vl").toString();
        var gen = ExplainCommandTest.eagle("generate", "--model", model, "--image", scene.toString(), "--prompt",
                "Describe the image.");
        assertThat(gen.status()).as(gen.err()).isZero();
        List<Long> generatedIds = gen.out().lines().skip(1).map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).toList();
        var r = ExplainCommandTest.eagle("explain", "--model", model, "--image", scene.toString(), "--prompt", "Describe the image.",
                "--grid", "2x2", "--target-index", "0", "--out", dir.resolve("q").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("read back");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("q/explanation.json").toFile());
        assertThat(json.get("answerTokens")).hasSize(generatedIds.size());
        assertThat(json.get("targets").get(0).get("id").asLong()).isEqualTo(generatedIds.get(0));
    }

    @Test
    void aBackendThatTeacherForcesTextSaysWhenTheGenerationReadsBackAsOtherTokens() throws IOException {
        Path square = ExplainCommandTest.redSquareImage(dir);
        var r = ExplainCommandTest.eagle("explain", "--model", "test:red-square", "--image", square.toString(), "--prompt",
                "Describe the image. [split]", "--grid", "2x2", "--target-index", "1", "--out", dir.resolve("s").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("tokenises differently when read back", "token 2", "'squ'", "'square'");
        var plain = ExplainCommandTest.eagle("explain", "--model", "test:red-square", "--image", square.toString(), "--prompt",
                "Describe the image.", "--grid", "2x2", "--target-index", "1", "--out", dir.resolve("p").toString());
        assertThat(plain.status()).as(plain.err()).isZero();
        assertThat(plain.err()).doesNotContain("read back");
    }

    @Test
    void configsThatDoNotFitTheGraphsAreOneLineAndStatusTwo() throws IOException {
        assertRefused(copyWith("model_type", "no_such_family"), "config.json", "model_type", "no_such_family", "llava", "qwen2_vl");
        // a Qwen config beside LLaVA graphs and a CLIP processor
        assertRefused(copyWith("model_type", "qwen2_vl"), "preprocessor_config.json");
    }

    private Path copyWith(String field, String value) throws IOException {
        Path copy = Files.createTempDirectory(dir, "model");
        Path src = REPO.resolve("models/tiny-shapes-llava");
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path t = copy.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        ObjectMapper m = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) m.readTree(copy.resolve("config.json").toFile());
        cfg.put(field, value);
        m.writeValue(copy.resolve("config.json").toFile(), cfg);
        return copy;
    }

    private void assertRefused(Path model, String... mentions) throws IOException {
        var r = ExplainCommandTest.eagle("explain", "--model", model.toString(), "--image", image(dir).toString(),
                "--prompt", "Describe the image.", "--answer", "a red square .", "--grid", "2x2", "--out",
                dir.resolve("out").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(mentions).doesNotContain("Exception", "\tat ");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
