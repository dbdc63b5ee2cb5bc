package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.imageio.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code eagle explain --text-regions ... --joint} with several images and with a video (docs/text.md, "Several images
 * and video"): the joint search over the canvas's regions and the prompt's words, the evidence split with each image's
 * share, the report, and bad combinations in one line.
 */
class FramesTextRegionsExplainTest {
    static final Path QA = Path.of("..", "models", "tiny-shapes-llava-qa");
    @TempDir
    Path dir;

    /**
     * A "yes" that rests on one image and the question's words: scene 8802 of the question-reading model's held-out
     * seeds holds the asked object, the other scene does not. Whichever place the image takes, the top region of the
     * joint search lies in it, the top word is the colour or the shape, and its share of the evidence is the largest.
     */
    @Test
    void theImageWithTheObjectAndTheQuestionsWordRankFirst() throws IOException {
        ShapeScene scene = ShapeScene.render(8802);
        TextRegionsMeasurement.Question q = TextRegionsMeasurement.question(scene);
        ShapeScene other = FramesTextRegionsQualityTest.without(q, 58802);
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        ImageFiles.writePng(scene.image(), a);
        ImageFiles.writePng(other.image(), b);
        for (int place = 0; place < 2; place++) {
            Path out = dir.resolve("out" + place);
            List<Path> images = place == 0 ? List.of(a, b) : List.of(b, a);
            ExplainCommandTest.Result r = eagle("explain", "--model", QA.toString(), "--image", images.get(0).toString(),
                    "--image", images.get(1).toString(), "--prompt", q.prompt(), "--target-index", "0", "--grid", "3x3",
                    "--text-regions", "words", "--joint", "--out", out.toString());
            assertThat(r.status()).as(r.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
            assertThat(json.get("answer").asText()).startsWith("yes");
            JsonNode search = json.get("jointSearch");
            assertThat(json.get("jointOrder")).hasSize(18 + 6);
            // the top region of the joint search lies in the image with the object (regions 0..8 the first image)
            int topRegion = argMax(search.get("regionScores"));
            assertThat(topRegion / 9).as("top region %d, object in image %d", topRegion, place).isEqualTo(place);
            String topWord = json.get("textRegions").get(argMax(search.get("spanScores"))).get("text").asText().strip();
            assertThat(topWord).isIn(q.colour(), q.shape());
            String textTop = json.get("textRegions").get(json.get("textOrder").get(0).asInt()).get("text").asText().strip();
            assertThat(textTop).isIn(q.colour(), q.shape());
            // the split: each image's part, the parts summing to the image's share
            assertThat(search.get("imageGroups").toString()).isEqualTo("[[0],[1]]");
            assertThat(search.get("imageShares").get("exact").asBoolean()).isTrue();
            JsonNode split = json.get("answerEvidence");
            JsonNode shares = split.get("images");
            assertThat(shares.get(0).asDouble() + shares.get(1).asDouble()).isCloseTo(split.get("image").asDouble(), within(1e-12));
            assertThat(argMax(shares)).isEqualTo(place);
            assertThat(split.get("neither").asDouble() + split.get("image").asDouble() + split.get("prompt").asDouble())
                    .isCloseTo(split.get("full").asDouble(), within(1e-9));
            assertThat(json.get("frames").get("count").asInt()).isEqualTo(2);
            String report = Files.readString(out.resolve("report.html"));
            assertThat(report).contains("id=\"text-step\"").contains("id=\"evidence-images\"");
            OutputSchemasTest.assertValidExplanation(json);
        }
    }

    @Test
    void aVideosFramesAndTheirTemporalPairsShareTheImagePart() throws IOException {
        for (boolean pairs : new boolean[] {false, true}) {
            Path out = dir.resolve("video" + pairs);
            List<String> args = new java.util.ArrayList<>(List.of("explain", "--model", ExplainVideoCommandTest.QWEN2,
                    "--video", ExplainVideoCommandTest.VIDEO.toString(), "--prompt", "What moves in the video?",
                    "--answer", "A red circle moves.", "--target-index", "1,2", "--grid", "2x2", "--text-regions", "words",
                    "--text-mask", "drop", "--joint", "--out", out.toString()));
            if (pairs) {
                args.add("--temporal-pairs");
            }
            ExplainCommandTest.Result r = eagle(args.toArray(String[]::new));
            assertThat(r.status()).as(r.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
            JsonNode search = json.get("jointSearch");
            // four sampled frames; with temporal pairs a region covers frames 0-1 or 2-3, so they share a part
            assertThat(search.get("imageGroups").toString()).isEqualTo(pairs ? "[[0,1],[2,3]]" : "[[0],[1],[2],[3]]");
            assertThat(search.get("imageShares").get("inputs").asInt()).isEqualTo(pairs ? 8 : 32);
            for (JsonNode split : json.get("evidenceSplit")) {
                double sum = 0;
                for (JsonNode s : split.get("images")) {
                    sum += s.asDouble();
                }
                assertThat(sum).isCloseTo(split.get("image").asDouble(), within(1e-12));
            }
            assertThat(json.get("textRegions")).hasSize(6);
            assertThat(json.get("frames").get("video")).isNotNull();
            OutputSchemasTest.assertValidExplanation(json);
        }
    }

    @Test
    void badCombinationsWithSeveralImagesAreOneLineAndExitTwo() throws IOException {
        Path a = dir.resolve("a.png");
        ImageFiles.writePng(ShapeScene.render(8804).image(), a);
        String[][] cases = {
            {"--joint"},
            {"--text-regions", "words", "--text-mask", "zero"},
            {"--text-regions", "words", "--video", ExplainVideoCommandTest.VIDEO.toString()},
        };
        String[] expected = {
            "--joint needs --text-regions words|sentences|messages",
            "--text-mask 'zero' is not one of pad, drop",
            "--video",
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("explain", "--model", QA.toString(), "--image", a.toString(),
                    "--image", a.toString(), "--prompt", "Is there a red circle?", "--grid", "2x2", "--out", dir.resolve("bad" + i).toString()));
            args.addAll(List.of(cases[i]));
            ExplainCommandTest.Result r = eagle(args.toArray(String[]::new));
            assertThat(r.status()).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(r.err().strip()).contains(expected[i]).hasLineCount(1);
        }
    }

    private static int argMax(JsonNode values) {
        int best = 0;
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i).asDouble() > values.get(best).asDouble()) {
                best = i;
            }
        }
        return best;
    }
}
