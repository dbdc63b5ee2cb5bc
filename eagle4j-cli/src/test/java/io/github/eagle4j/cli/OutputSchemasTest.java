package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.github.eagle4j.evaluation.dataset.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON Schemas shipped for {@code explanation.json}, {@code diagnosis.json} and {@code summary.json} (in
 * eagle4j-report's resources, {@value #SCHEMAS}) match what the real commands write on the bundled model: every
 * search kind and option that adds fields, a baseline, a diagnosis, an evaluation with baselines, a labelled item and
 * a bad item. The schemas refuse unknown fields, so a field added to an output without its schema fails here.
 */
class OutputSchemasTest {
    /** Where the schemas live, as a classpath folder and under eagle4j-report/src/main/resources. */
    static final String SCHEMAS = "io/github/eagle4j/report/schemas/";

    private static final Path MODEL = Path.of("..", "models", "tiny-shapes-llava");
    private static final Path SCENES = Path.of("..", "examples", "scenes").toAbsolutePath().normalize();
    private static final String SCENE = SCENES.resolve("scene-001.png").toString();
    private static final String PROMPT = "Describe the image.";
    private static final String ANSWER = "a red square , a green circle and a yellow square .";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Schema explanation;
    private static Schema diagnosis;
    private static Schema summary;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchemas() {
        explanation = schema("explanation");
        diagnosis = schema("diagnosis");
        summary = schema("summary");
    }

    private static Schema schema(String name) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        try (InputStream in = OutputSchemasTest.class.getClassLoader().getResourceAsStream(SCHEMAS + name + ".schema.json")) {
            assertThat(in).as(SCHEMAS + name + ".schema.json on the classpath").isNotNull();
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validates a written file; the failure names the schema file to update. */
    private static JsonNode assertValid(Schema schema, String name, Path file) {
        JsonNode doc;
        try {
            doc = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Error> errors = schema.validate(doc);
        assertThat(errors).as("%s does not match its schema; when you add or change a field of %s, update "
                        + "eagle4j-report/src/main/resources/%s%s.schema.json (and docs) in the same change:%n%s",
                file, file.getFileName(), SCHEMAS, name, errors.stream().map(Error::toString)
                        .collect(Collectors.joining("\n")))
                .isEmpty();
        return doc;
    }

    /** Validates an explanation.json read elsewhere against the shipped schema. */
    static void assertValidExplanation(JsonNode doc) {
        List<Error> errors = schema("explanation").validate(doc);
        assertThat(errors).as("explanation.json does not match its schema:%n%s",
                errors.stream().map(Error::toString).collect(Collectors.joining("\n"))).isEmpty();
    }

    private static JsonNode validExplanation(Path folder) {
        return assertValid(explanation, "explanation", folder.resolve("explanation.json"));
    }

    private Path explain(String name, String... options) {
        Path out = dir.resolve(name);
        List<String> args = Stream.concat(Stream.of("explain", "--model", MODEL.toString(), "--image", SCENE,
                "--prompt", PROMPT, "--answer", ANSWER, "--out", out.toString()), Stream.of(options)).toList();
        ExplainCommandTest.Result r = eagle(args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        return out;
    }

    @Test
    void fullGreedySearchWithEarlyStopAndPointingGame() {
        JsonNode full = validExplanation(explain("full", "--target-word", "green", "--regions", "8"));
        assertThat(full.get("exactness").asText()).isEqualTo("exact");
        JsonNode early = validExplanation(explain("early", "--target-word", "green", "--regions", "8",
                "--early-stop", "--gt-box", "9,10,52,53"));
        assertThat(early.has("interpolated")).isTrue();
        assertThat(early.get("pointingGame").has("box")).isTrue();
    }

    @Test
    void fastSearchForEachTokenWithVerifiedSteps() {
        JsonNode fast = validExplanation(explain("fast", "--target-index", "1,3", "--grid", "3x3", "--search", "fast",
                "--each-token", "--verify-steps", "2"));
        assertThat(fast.get("perToken")).hasSize(2);
        assertThat(fast.get("certificate").get("verification").get("stepsChecked").asInt()).isEqualTo(2);
        assertThat(fast.get("provenance").get("eachToken").asBoolean()).isTrue();
    }

    @Test
    void severalImagesFlatAndHierarchical() {
        Path a = dir.resolve("pair-a.png");
        Path b = dir.resolve("pair-b.png");
        io.github.eagle4j.imageio.ImageFiles.writePng(ShapeScene.render(70_000).image(), a);
        io.github.eagle4j.imageio.ImageFiles.writePng(ShapeScene.render(70_001).image(), b);
        for (String top : List.of("", "1")) {
            Path out = dir.resolve("pair" + top);
            List<String> args = new java.util.ArrayList<>(List.of("explain", "--model", "../fixtures/models/tiny-shapes-llava-pair",
                    "--image", a.toString(), "--image", b.toString(), "--prompt", PROMPT,
                    "--answer", ShapeScene.render(70_000).caption() + " " + ShapeScene.render(70_001).caption(),
                    "--target-word", "circle", "--regions", "4", "--out", out.toString()));
            if (!top.isEmpty()) {
                args.addAll(List.of("--top-images", top));
            }
            ExplainCommandTest.Result r = eagle(args.toArray(String[]::new));
            assertThat(r.status()).as(r.err()).isZero();
            JsonNode doc = validExplanation(out);
            assertThat(doc.get("frames").get("count").asInt()).isEqualTo(2);
            assertThat(doc.at("/provenance/segmenterSettings/perFrame").asBoolean()).isTrue();
        }
    }

    @Test
    void severalImagesWithTextRegionsAndTheJointSearch() {
        Path a = dir.resolve("text-a.png");
        Path b = dir.resolve("text-b.png");
        io.github.eagle4j.imageio.ImageFiles.writePng(ShapeScene.render(70_002).image(), a);
        io.github.eagle4j.imageio.ImageFiles.writePng(ShapeScene.render(70_003).image(), b);
        Path out = dir.resolve("pair-text");
        ExplainCommandTest.Result r = eagle("explain", "--model", "../models/tiny-shapes-llava-qa", "--image", a.toString(),
                "--image", b.toString(), "--prompt", "Is there a red circle?", "--target-index", "0", "--grid", "2x2",
                "--text-regions", "words", "--joint", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode doc = validExplanation(out);
        assertThat(doc.at("/answerEvidence/images")).hasSize(2);
        assertThat(doc.at("/jointSearch/imageGroups").toString()).isEqualTo("[[0],[1]]");
    }

    @Test
    void evaluationOfSeveralImagesWithTextRegionsAndTheJointSearch() throws IOException {
        Path a = dir.resolve("eval-text-a.png");
        Path b = dir.resolve("eval-text-b.png");
        io.github.eagle4j.imageio.ImageFiles.writePng(ShapeScene.render(70_002).image(), a);
        io.github.eagle4j.imageio.ImageFiles.writePng(ShapeScene.render(70_003).image(), b);
        String images = "[" + JSON.writeValueAsString(a.toString()) + ", " + JSON.writeValueAsString(b.toString()) + "]";
        Path manifest = dir.resolve("pairs-text.jsonl");
        Files.writeString(manifest, "{\"id\": \"pair-text\", \"images\": " + images + ", \"prompt\": \"Is there a red circle?\", "
                + "\"targets\": [0], \"textRegions\": {\"mode\": \"words\", \"joint\": true}}\n");
        Path out = dir.resolve("eval-pairs-text");
        ExplainCommandTest.Result r = eagle("evaluate", "--model", "../models/tiny-shapes-llava-qa", "--manifest", manifest.toString(),
                "--grid", "2x2", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode s = assertValid(summary, "summary", out.resolve("summary.json"));
        assertThat(s.at("/textRegions/joint/items").asInt()).isEqualTo(1);
        JsonNode e = validExplanation(out.resolve("items").resolve("pair-text"));
        assertThat(e.at("/frames/count").asInt()).isEqualTo(2);
        assertThat(e.at("/answerEvidence/images")).hasSize(2);
        assertThat(e.get("textRegions")).hasSize(6);
    }

    @Test
    void aVideoWithTimestamps() {
        Path out = dir.resolve("video");
        ExplainCommandTest.Result r = eagle("explain", "--model", "../fixtures/models/tiny-random-qwen2-vl", "--video",
                "../fixtures/video/moving.mp4", "--prompt", "What moves in the video?", "--answer", "A red circle.",
                "--grid", "2x2", "--search", "lazy", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode doc = validExplanation(out);
        assertThat(doc.at("/frames/images/1/timestamp").asDouble()).isEqualTo(0.5);
        assertThat(doc.at("/frames/video/sourceKind").asText()).isEqualTo("file");
    }

    @Test
    void aVideoWithRegionsSpanningTemporalPairs() {
        Path out = dir.resolve("video-pairs");
        ExplainCommandTest.Result r = eagle("explain", "--model", "../fixtures/models/tiny-random-qwen2_5-vl", "--video",
                "../fixtures/video/moving.mp4", "--prompt", "What moves in the video?", "--answer", "A red circle.",
                "--grid", "2x2", "--temporal-pairs", "--search", "lazy", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode doc = validExplanation(out);
        // 4 sampled frames, 2 temporal pairs of 4 cells each: each region lies in both frames of its pair
        assertThat(doc.get("regionCount").asInt()).isEqualTo(8);
        assertThat(doc.at("/frames/regionFrames").toString()).isEqualTo("[0,0,0,0,2,2,2,2]");
        assertThat(doc.at("/frames/images/1/regionCount").asInt()).isEqualTo(4);
        assertThat(doc.at("/frames/images/3/timestamp").asDouble()).isEqualTo(1.75);
        assertThat(doc.at("/provenance/segmenterSettings/temporalGroup").asInt()).isEqualTo(2);
        ExplainCommandTest.Result images = eagle("explain", "--model", "../fixtures/models/tiny-random-qwen2_5-vl", "--image",
                dir.resolve("a.png").toString(), "--prompt", "What?", "--answer", "A.", "--temporal-pairs",
                "--out", dir.resolve("no").toString());
        assertThat(images.status()).isEqualTo(2);
        assertThat(images.err().strip()).endsWith("--temporal-pairs needs --video").doesNotContain("\n");
    }

    @Test
    void evaluationAndDiagnosisOfAVideo() throws IOException {
        String qwen = "../fixtures/models/tiny-random-qwen2-vl";
        String video = JSON.writeValueAsString(Path.of("../fixtures/video/moving.mp4").toAbsolutePath().toString());
        Path manifest = dir.resolve("videos.jsonl");
        Files.writeString(manifest, String.join("\n",
                "{\"id\": \"clip\", \"video\": " + video + ", \"prompt\": \"What moves in the video?\", \"answer\": \"A red circle.\"}",
                "{\"id\": \"clip-yes-no\", \"video\": " + video + ", \"videoFrames\": 2, \"prompt\": \"Is there a circle?\", "
                        + "\"label\": \"Yes\"}") + "\n");
        Path out = dir.resolve("eval-video");
        ExplainCommandTest.Result r = eagle("evaluate", "--model", qwen, "--manifest", manifest.toString(), "--grid", "2x2",
                "--search", "lazy", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode s = assertValid(summary, "summary", out.resolve("summary.json"));
        assertThat(s.at("/frames/videos").asInt()).isEqualTo(2);
        JsonNode e = validExplanation(out.resolve("items").resolve("clip"));
        // the processor's defaults: 2 fps of the 4 fps source, frames 0, 2, 5, 7
        assertThat(e.at("/frames/count").asInt()).isEqualTo(4);
        assertThat(e.at("/frames/images/1/timestamp").asDouble()).isEqualTo(0.5);
        assertThat(e.at("/frames/video/sourceKind").asText()).isEqualTo("file");
        JsonNode result = JSON.readTree(out.resolve("items").resolve("clip").resolve("result.json").toFile());
        assertThat(result.at("/frames/images/3/sourceIndex").asInt()).isEqualTo(7);
        assertThat(result.at("/frames/video/sourceFrames").asInt()).isEqualTo(10);
        JsonNode d = assertValid(diagnosis, "diagnosis", out.resolve("items").resolve("clip-yes-no").resolve("diagnosis.json"));
        assertThat(d.at("/frames/count").asInt()).isEqualTo(2);
        assertThat(d.at("/frames/timestamps")).hasSize(2);
        assertThat(d.at("/frames/regionFrames")).hasSize(8);

        Path diag = dir.resolve("diag-video");
        ExplainCommandTest.Result dr = eagle("diagnose", "--model", qwen, "--video", "../fixtures/video/moving.mp4",
                "--video-frames", "2", "--prompt", "Is there a circle?", "--label", "Yes", "--grid", "2x2", "--search", "lazy",
                "--out", diag.toString());
        assertThat(dr.status()).as(dr.err()).isZero();
        JsonNode dd = assertValid(diagnosis, "diagnosis", diag.resolve("diagnosis.json"));
        assertThat(dd.at("/frames/video/source").asText()).isEqualTo("moving.mp4");
        assertThat(dd.at("/regionCount").asInt()).isEqualTo(8);
        assertThat(validExplanation(diag).at("/frames/images/1/sourceIndex").asInt()).isPositive();
    }

    @Test
    void evaluationAndDiagnosisWithSeveralImages() throws IOException {
        Path a = dir.resolve("pair-a.png");
        Path b = dir.resolve("pair-b.png");
        io.github.eagle4j.imageio.ImageFiles.writePng(ShapeScene.render(70_002).image(), a);
        io.github.eagle4j.imageio.ImageFiles.writePng(ShapeScene.render(70_003).image(), b);
        String pairModel = "../fixtures/models/tiny-shapes-llava-pair";
        String answer = ShapeScene.render(70_002).caption() + " " + ShapeScene.render(70_003).caption();
        String images = "[" + JSON.writeValueAsString(a.toString()) + ", " + JSON.writeValueAsString(b.toString()) + "]";
        Path manifest = dir.resolve("pairs.jsonl");
        Files.writeString(manifest, String.join("\n",
                "{\"id\": \"pair\", \"images\": " + images + ", \"prompt\": \"" + PROMPT + "\", \"answer\": \"" + answer
                        + "\", \"box\": [140, 0, 256, 128]}",
                "{\"id\": \"pair-yes-no\", \"images\": " + images + ", \"prompt\": \"Is there a circle?\", \"label\": \"no\"}")
                + "\n");
        Path out = dir.resolve("eval-pairs");
        ExplainCommandTest.Result r = eagle("evaluate", "--model", pairModel, "--manifest", manifest.toString(),
                "--regions", "4", "--compare", "random", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode s = assertValid(summary, "summary", out.resolve("summary.json"));
        assertThat(s.get("frames").get("items").asInt()).isEqualTo(2);
        assertThat(s.get("frames").get("maxImages").asInt()).isEqualTo(2);
        JsonNode e = validExplanation(out.resolve("items").resolve("pair"));
        assertThat(e.get("frames").get("count").asInt()).isEqualTo(2);
        assertThat(e.get("pointingGame").has("box")).isTrue();
        JsonNode result = JSON.readTree(out.resolve("items").resolve("pair").resolve("result.json").toFile());
        assertThat(result.get("frames").get("images")).hasSize(2);
        validExplanation(out.resolve("items").resolve("pair-yes-no"));
        JsonNode d = assertValid(diagnosis, "diagnosis", out.resolve("items").resolve("pair-yes-no").resolve("diagnosis.json"));
        assertThat(d.get("frames").get("regionFrames")).hasSize(d.get("regionCount").asInt());

        Path diag = dir.resolve("diag-pair");
        ExplainCommandTest.Result dr = eagle("diagnose", "--model", pairModel, "--image", a.toString(), "--image", b.toString(),
                "--prompt", "Is there a circle?", "--label", "no", "--grid", "2x2", "--out", diag.toString());
        assertThat(dr.status()).as(dr.err()).isZero();
        JsonNode dd = assertValid(diagnosis, "diagnosis", diag.resolve("diagnosis.json"));
        assertThat(dd.get("frames").get("count").asInt()).isEqualTo(2);
        assertThat(dd.get("regionCount").asInt()).isEqualTo(8);
        assertThat(validExplanation(diag).get("frames").get("count").asInt()).isEqualTo(2);
    }

    @Test
    void budgetedLazySearchAndABaseline() {
        JsonNode lazy = validExplanation(explain("lazy", "--target-word", "green", "--grid", "4x4", "--search", "lazy",
                "--budget", "40"));
        assertThat(lazy.get("certificate").get("budget").asLong()).isEqualTo(40);
        assertThat(lazy.get("orderMatchesFullGreedy").asText()).isEqualTo("unknown");
        JsonNode lime = validExplanation(explain("lime", "--target-word", "green", "--grid", "3x3", "--method", "lime",
                "--baseline-samples", "20"));
        assertThat(lime.get("search").isNull()).isTrue();
        assertThat(lime.get("provenance").get("methodScores")).hasSize(9);
    }

    @Test
    void diagnosisOfAWrongAnswer() {
        Manifest.Item item = Manifest.read(SCENES.resolve("hallucinations.jsonl")).items().get(0);
        Path out = dir.resolve("diag");
        ExplainCommandTest.Result r = eagle("diagnose", "--model", MODEL.toString(), "--image", item.image().toString(),
                "--prompt", item.prompt(), "--label", item.label(), "--grid", "3x3", "--gt-box", "0,0,10,10",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode d = assertValid(diagnosis, "diagnosis", out.resolve("diagnosis.json"));
        assertThat(d.get("hallucinated").asBoolean()).isTrue();
        assertThat(d.get("revisedAnswers")).hasSize(9);
        validExplanation(out);
    }

    @Test
    void evaluationWithBaselinesALabelledItemAndABadItem() throws IOException {
        Manifest.Item wrong = Manifest.read(SCENES.resolve("hallucinations.jsonl")).items().get(0);
        Path manifest = dir.resolve("manifest.jsonl");
        Files.writeString(manifest, String.join("\n",
                item("scene-001", SCENE, PROMPT, ", \"answer\": \"" + ANSWER + "\", \"targets\": \"green\", "
                        + "\"box\": [9, 10, 52, 53], \"mask\": " + JSON.writeValueAsString(
                        SCENES.resolve("scene-001-mask1.png").toString())),
                item("wrong", wrong.image().toString(), wrong.prompt(), ", \"label\": \"" + wrong.label() + "\""),
                item("bad", SCENE, PROMPT, ", \"answer\": \"a red square .\", \"targets\": \"zebra\"")) + "\n");
        Path out = dir.resolve("eval");
        ExplainCommandTest.Result r = eagle("evaluate", "--model", MODEL.toString(), "--manifest", manifest.toString(),
                "--grid", "3x3", "--compare", "random,occlusion", "--skip-bad-items", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode s = assertValid(summary, "summary", out.resolve("summary.json"));
        assertThat(s.get("badItems")).hasSize(1);
        assertThat(s.get("hallucination").get("labelled").asInt()).isEqualTo(1);
        assertThat(s.get("methods").has("occlusion")).isTrue();
        validExplanation(out.resolve("items").resolve("scene-001"));
        validExplanation(out.resolve("items").resolve("wrong"));
        assertValid(diagnosis, "diagnosis", out.resolve("items").resolve("wrong").resolve("diagnosis.json"));
    }

    @Test
    void evaluationComparingSearchesWithEachToken() throws IOException {
        Path manifest = dir.resolve("manifest.jsonl");
        Files.writeString(manifest, item("scene-001", SCENE, PROMPT, ", \"answer\": \"a red square .\"") + "\n");
        Path out = dir.resolve("eval");
        ExplainCommandTest.Result r = eagle("evaluate", "--model", MODEL.toString(), "--manifest", manifest.toString(),
                "--grid", "2x2", "--compare", "full,lazy,fast,random", "--each-token", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode s = assertValid(summary, "summary", out.resolve("summary.json"));
        assertThat(s.get("reference").asText()).isEqualTo("full");
        assertThat(s.get("methods").get("eagle").get("perToken").get("tokens").asInt()).isPositive();
        assertThat(s.get("methods").get("random").get("vsReference").get("items").asInt()).isEqualTo(1);
        validExplanation(out.resolve("items").resolve("scene-001"));
    }

    @Test
    void evaluationWithTextRegionsAJointSearchAndAConversation() throws IOException {
        Path manifest = dir.resolve("manifest.jsonl");
        String yesNo = "Is there a red square?";
        Files.writeString(manifest, String.join("\n",
                item("joint", SCENE, yesNo, ", \"answer\": \"yes\", \"targets\": [0], "
                        + "\"textRegions\": {\"mode\": \"words\", \"joint\": true}"),
                "{\"id\": \"chat\", \"image\": " + JSON.writeValueAsString(SCENE) + ", \"answer\": \"yes\", \"targets\": [0], "
                        + "\"conversation\": [{\"role\": \"user\", \"content\": \"Is there a blue circle?\"}, "
                        + "{\"role\": \"assistant\", \"content\": \"no\"}, {\"role\": \"user\", \"content\": "
                        + JSON.writeValueAsString(yesNo) + "}], \"textRegions\": {\"mode\": \"messages\", \"mask\": \"drop\"}}",
                item("plain", SCENE, yesNo, ", \"answer\": \"yes\", \"targets\": [0]")) + "\n");
        Path out = dir.resolve("eval");
        ExplainCommandTest.Result r = eagle("evaluate", "--model", MODEL.toString(), "--manifest", manifest.toString(),
                "--grid", "2x2", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode s = assertValid(summary, "summary", out.resolve("summary.json"));
        JsonNode text = s.get("textRegions");
        assertThat(text.get("text").get("items").asInt()).isEqualTo(2);
        assertThat(text.get("joint").get("items").asInt()).isEqualTo(1);
        JsonNode labels = text.get("joint").get("labels");
        assertThat(labels.get("perception").asInt() + labels.get("prompt").asInt() + labels.get("language-prior").asInt()
                + labels.get("mixed").asInt()).isEqualTo(1);
        // the summary's split is the joint item's answer split, whose parts sum to the full probability
        JsonNode joint = JSON.readTree(out.resolve("items").resolve("joint").resolve("result.json").toFile()).get("joint");
        JsonNode a = joint.get("answerEvidence");
        assertThat(a.get("image").asDouble() + a.get("prompt").asDouble() + a.get("prior").asDouble())
                .isCloseTo(a.get("full").asDouble(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(text.get("joint").get("evidence").get("image").asDouble()).isEqualTo(a.get("image").asDouble());
        JsonNode chat = validExplanation(out.resolve("items").resolve("chat"));
        assertThat(chat.get("conversation")).hasSize(3);
        assertThat(chat.get("textRegions")).hasSize(3);
        assertThat(chat.get("textRegions").get(1).get("role").asText()).isEqualTo("assistant");
        JsonNode chatResult = JSON.readTree(out.resolve("items").resolve("chat").resolve("result.json").toFile());
        assertThat(chatResult.get("text").get("mask").asText()).isEqualTo("drop");
        assertThat(chatResult.get("conversationMessages").asInt()).isEqualTo(3);
        assertThat(r.out()).contains("text regions: 2 items");
        // model calls count the text and joint searches' inputs beside the methods' images
        long expected = 0;
        for (String id : List.of("joint", "chat", "plain")) {
            JsonNode result = JSON.readTree(out.resolve("items").resolve(id).resolve("result.json").toFile());
            expected += result.get("methods").get("eagle").get("forwardPasses").asLong()
                    + result.path("text").path("forwardPasses").asLong(0) + result.path("joint").path("forwardPasses").asLong(0);
        }
        assertThat(chatResult.get("text").get("forwardPasses").asLong()).isPositive();
        assertThat(s.get("modelCalls").get("forwardPasses").asLong()).isEqualTo(expected);
        validExplanation(out.resolve("items").resolve("joint"));
    }

    private static String item(String id, String image, String prompt, String rest) throws IOException {
        return "{\"id\": \"" + id + "\", \"image\": " + JSON.writeValueAsString(image) + ", \"prompt\": "
                + JSON.writeValueAsString(prompt) + rest + "}";
    }

    @Test
    void aDocumentWithAMissingFieldAWrongTypeOrAnUnknownFieldIsRefused() {
        JsonNode good = validExplanation(explain("base", "--target-word", "green", "--grid", "2x2"));
        ObjectNode missing = good.deepCopy();
        missing.remove("order");
        assertThat(explanation.validate(missing)).extracting(Error::toString).anySatisfy(m -> assertThat(m).contains("order"));
        ObjectNode wrongType = good.deepCopy();
        wrongType.put("insertionAuc", "high");
        assertThat(explanation.validate(wrongType)).extracting(Error::toString)
                .anySatisfy(m -> assertThat(m).contains("insertionAuc"));
        ObjectNode unknown = good.deepCopy();
        ((ObjectNode) unknown.get("provenance")).put("gpu", "none");
        assertThat(explanation.validate(unknown)).extracting(Error::toString).anySatisfy(m -> assertThat(m).contains("gpu"));
        ObjectNode badLabel = good.deepCopy();
        ((ObjectNode) badLabel.get("tokenReliance").get(0)).put("label", "vision");
        assertThat(explanation.validate(badLabel)).isNotEmpty();
        ObjectNode noVersion = good.deepCopy();
        noVersion.remove("schemaVersion");
        assertThat(explanation.validate(noVersion)).isNotEmpty();
    }
}
