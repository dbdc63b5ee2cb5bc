package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.imageio.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eagle explain --text-regions} on the bundled model: the spans, their order and the joint search's evidence
 * split land in explanation.json and the report; bad text-region input is one line and exit 2.
 */
class TextRegionsExplainTest {
    static final Path MODEL = Path.of("..", "models", "tiny-shapes-llava");
    @TempDir
    Path dir;

    @Test
    void explainWritesTextRegionsAndTheJointSearch() throws IOException {
        ShapeScene scene = ShapeScene.render(7000);
        Path image = dir.resolve("scene.png");
        ImageFiles.writePng(scene.image(), image);
        Path out = dir.resolve("out");
        ExplainCommandTest.Result r = eagle("explain", "--model", MODEL.toString(), "--image", image.toString(),
                "--prompt", "Is there a red circle?", "--target-index", "0", "--grid", "3x3",
                "--text-regions", "words", "--text-mask", "drop", "--joint", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(json.get("textRegions")).hasSize(6);
        assertThat(json.get("textRegions").get(3).get("text").asText()).isEqualTo("red");
        assertThat(json.get("textRegions").get(3).get("role").asText()).isEqualTo("user");
        assertThat(json.get("textOrder")).hasSize(6);
        assertThat(json.get("textSearch").get("mask").asText()).isEqualTo("drop");
        assertThat(json.get("jointOrder")).hasSize(9 + 6);
        JsonNode split = json.get("evidenceSplit").get(0);
        assertThat(split.get("neither").asDouble() + split.get("image").asDouble() + split.get("prompt").asDouble())
                .isCloseTo(split.get("full").asDouble(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(json.get("answerEvidence").get("label").asText()).isIn("perception", "prompt", "language-prior");
        assertThat(Files.readString(out.resolve("report.html"))).contains("id=\"text-step\"");
        // the fields are part of the shipped schema (additionalProperties false everywhere)
        com.networknt.schema.Schema schema;
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream(OutputSchemasTest.SCHEMAS + "explanation.schema.json")) {
            schema = com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                    .getSchema(in);
        }
        assertThat(schema.validate(json)).extracting(Object::toString).isEmpty();
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("textRegions").get(0)).put("role", "narrator");
        assertThat(schema.validate(json)).extracting(Object::toString).anySatisfy(m -> assertThat(m).contains("role"));
    }

    @Test
    void badTextRegionInputIsOneLineAndExitTwo() throws IOException {
        ShapeScene scene = ShapeScene.render(7001);
        Path image = dir.resolve("scene.png");
        ImageFiles.writePng(scene.image(), image);
        String[][] cases = {
            {"--text-regions", "paragraphs"},
            {"--text-mask", "drop"},
            {"--text-regions", "words", "--text-mask", "zero"},
            {"--joint"},
        };
        String[] expected = {
            "--text-regions 'paragraphs' is not one of words, sentences, messages",
            "--text-mask needs --text-regions words|sentences|messages",
            "--text-mask 'zero' is not one of pad, drop",
            "--joint needs --text-regions words|sentences|messages",
        };
        for (int i = 0; i < cases.length; i++) {
            String[] base = {"explain", "--model", MODEL.toString(), "--image", image.toString(), "--prompt", "Is there a red circle?",
                "--grid", "2x2", "--out"};
            // --out's value right after it, then the case's options
            String[] full = new String[base.length + 1 + cases[i].length];
            System.arraycopy(base, 0, full, 0, base.length);
            full[base.length] = dir.resolve("bad" + i).toString();
            System.arraycopy(cases[i], 0, full, base.length + 1, cases[i].length);
            ExplainCommandTest.Result r = eagle(full);
            assertThat(r.status()).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(r.err().strip()).contains(expected[i]);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        }
    }

    @Test
    void aBackendThatCannotMaskTextSaysSoBeforeSearching() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(dir);
        ExplainCommandTest.Result r = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "Describe the image.", "--grid", "2x2", "--text-regions", "sentences", "--out", dir.resolve("o").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).endsWith("--text-mask pad: backend test cannot mask prompt text").hasLineCount(1);
    }
}
