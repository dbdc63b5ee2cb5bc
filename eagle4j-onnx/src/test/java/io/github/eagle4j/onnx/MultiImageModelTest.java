package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.Fill;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.regions.FrameSegmenter;
import io.github.eagle4j.regions.GridSegmenter;
import io.github.eagle4j.onnx.text.EncodedConversation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Several images in one prompt, against PyTorch (fixtures/frames_goldens.py, fixtures/goldens/frames): for each fixture
 * family that takes several images, the expanded token ids, the position ids (M-RoPE for Qwen) and the teacher-forced
 * probabilities of the intact pair and of the pair with one image masked, one at a time and as one batch; the masked
 * pairs are also scored through per-frame grid regions and a masker (masking a cell blacks it in its frame only).
 */
class MultiImageModelTest {
    static final Path FRAMES = Goldens.GOLDENS.resolve("frames");

    static Stream<String> models() throws IOException {
        try (Stream<Path> s = Files.list(FRAMES)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList().stream();
        }
    }

    static Path modelDir(String name) {
        Path fixture = Goldens.REPO.resolve("fixtures/models/" + name);
        return Files.isDirectory(fixture) ? fixture : Goldens.REPO.resolve("models/" + name);
    }

    static JsonNode golden(String name) throws IOException {
        return new ObjectMapper().readTree(FRAMES.resolve(name + ".json").toFile());
    }

    static RgbImage image(JsonNode g, String imageName) {
        for (JsonNode n : g.get("images")) {
            if (n.get("name").asText().equals(imageName)) {
                return Goldens.loadPng(FRAMES.resolve(n.get("file").asText()));
            }
        }
        throw new IllegalArgumentException(imageName);
    }

    @ParameterizedTest
    @MethodSource("models")
    void idsPositionsAndProbabilitiesEqualPyTorch(String name) throws IOException {
        JsonNode g = golden(name);
        RgbImage first = image(g, "first");
        RgbImage second = image(g, "second");
        FrameLayout frames = FrameLayout.of(List.of(first, second));
        try (OnnxModel model = OnnxModel.open(modelDir(name), OnnxSettings.defaults().withParallel(1))) {
            String prompt = g.get("prompt").asText();
            String answer = g.get("answer").asText();
            EncodedConversation c = model.encode(prompt, answer, frames);
            long[] ids = Goldens.longs(g.get("fullIds"));
            // eagle4j teacher-forces up to the end-of-turn token; the template may render a newline after it
            assertThat(ids.length - c.fullIds().length).isBetween(0, 1);
            assertThat(c.fullIds()).containsExactly(java.util.Arrays.copyOf(ids, c.fullIds().length));
            assertThat(c.answerStart()).isEqualTo(g.get("answerStart").asInt());
            if (g.has("positionIds")) {
                long[][] pos = model.positionIds(ids, frames);
                JsonNode rows = g.get("positionIds").get("rows");
                assertThat(pos).hasNumberOfRows(rows.size());
                for (int r = 0; r < pos.length; r++) {
                    assertThat(pos[r]).as("M-RoPE row " + r).containsExactly(Goldens.longs(rows.get(r)));
                }
            }
            int answerTokens = c.fullIds().length - c.answerStart();
            List<Integer> all = IntStream.range(0, answerTokens).boxed().toList();
            RgbImage intact = frames.compose(List.of(first, second));
            RgbImage firstMasked = frames.compose(List.of(image(g, "firstMasked-first"), second));
            RgbImage secondMasked = frames.compose(List.of(first, image(g, "secondMasked-second")));
            List<RgbImage> canvases = List.of(intact, firstMasked, secondMasked);
            List<String> keys = List.of("intact", "firstMasked", "secondMasked");
            try (OnnxTokenScorer one = model.scorer(prompt, answer, all, frames)) {
                for (int i = 0; i < 3; i++) {
                    double[] p = one.score(List.of(canvases.get(i)))[0];
                    assertThat(Goldens.maxAbsDiff(p, head(Goldens.doubles(g.get("probs").get(keys.get(i))), answerTokens)))
                            .as(name + " " + keys.get(i) + " at batch 1").isLessThan(1e-5);
                }
                double[][] batched = one.score(canvases);
                for (int i = 0; i < 3; i++) {
                    assertThat(Goldens.maxAbsDiff(batched[i], head(Goldens.doubles(g.get("batched").get("probs").get(i)), answerTokens)))
                            .as(name + " " + keys.get(i) + " at batch 3").isLessThan(1e-5);
                }
                // the same masked pairs from per-frame 4x4 grids: a removed cell is black in its own frame only
                RegionSet regions = new FrameSegmenter(frames, new GridSegmenter(4, 4)).segment(intact);
                assertThat(regions.regionCount()).isEqualTo(32);
                BitSet keepFirstMasked = new BitSet();
                keepFirstMasked.set(0, 32);
                for (int cell : new int[] {0, 2, 5, 7, 8, 10, 13, 15}) {
                    keepFirstMasked.clear(cell);
                }
                BitSet keepSecondMasked = new BitSet();
                keepSecondMasked.set(0, 16);
                BitSet keepAll = new BitSet();
                keepAll.set(0, 32);
                MaskedBatch batch = new MaskedBatch(new Masker(intact, regions, Fill.BLACK),
                        List.of(keepAll, keepFirstMasked, keepSecondMasked));
                for (int i = 0; i < 3; i++) {
                    RgbImage got = batch.images().get(i);
                    int diff = 0;
                    int firstAt = -1;
                    for (int j = 0; j < got.pixelCount(); j++) {
                        if (got.rgbAt(j) != canvases.get(i).rgbAt(j)) {
                            diff++;
                            firstAt = firstAt < 0 ? j : firstAt;
                        }
                    }
                    assertThat(diff).as(name + " " + keys.get(i) + " pixels differing, first at " + firstAt).isZero();
                }
                double[][] masked = one.scoreMasked(batch);
                for (int i = 0; i < 3; i++) {
                    assertThat(masked[i]).containsExactly(batched[i]);
                }
                // mean and blur fills, image by image: the per-frame maskers give what the rendered canvases give
                for (Fill fill : List.of(Fill.MEAN, Fill.BLUR)) {
                    MaskedBatch filled = new MaskedBatch(new Masker(intact, regions, fill, frames),
                            List.of(keepFirstMasked, keepSecondMasked, new BitSet()));
                    double[][] fast = one.scoreMasked(filled);
                    double[][] rendered = one.score(filled.images());
                    for (int i = 0; i < 3; i++) {
                        assertThat(Goldens.maxAbsDiff(fast[i], rendered[i])).as(name + " " + fill + " image " + i).isLessThan(1e-9);
                    }
                }
            }
        }
    }

    @Test
    void masksChangeTheAnswerOnlyThroughTheirOwnImage() throws IOException {
        // the trained pair model: hiding the second image moves the second caption's tokens far more than the first's
        JsonNode g = golden("tiny-shapes-llava-pair");
        double[] intact = Goldens.doubles(g.get("probs").get("intact"));
        double[] hidden = Goldens.doubles(g.get("probs").get("secondMasked"));
        String[] words = g.get("answer").asText().split(" ");
        int firstEnd = List.of(words).indexOf(".");
        double firstShift = 0;
        double secondShift = 0;
        for (int i = 0; i < words.length; i++) {
            double d = Math.abs(intact[i] - hidden[i]);
            if (i <= firstEnd) {
                firstShift = Math.max(firstShift, d);
            } else {
                secondShift = Math.max(secondShift, d);
            }
        }
        assertThat(secondShift).isGreaterThan(0.5);
        assertThat(firstShift).isLessThan(0.1);
    }

    @Test
    void aTemplateWithOnePlaceholderRefusesSeveralImages(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path src = Goldens.REPO.resolve("models/tiny-shapes-llava");
        Path dir = tmp.resolve("one-image-llava");
        copyTree(src, dir);
        String once = "{% if part['type'] == 'image' %}{% if loop.first %}{{ '<image>\\n' }}{% endif %}";
        for (String file : List.of("tokenizer_config.json", "chat_template.jinja")) {
            Path p = dir.resolve(file);
            if (Files.exists(p)) {
                String s = Files.readString(p);
                String edited = file.endsWith(".json")
                        ? s.replace("{% if part['type'] == 'image' %}{{ '<image>\\n' }}",
                        "{% if part['type'] == 'image' %}{% if loop.first %}{{ '<image>\\n' }}{% endif %}")
                        : s.replace("{% if part['type'] == 'image' %}{{ '<image>\n' }}", once.replace("\\n", "\n"));
                assertThat(edited).as(file).isNotEqualTo(s);
                Files.writeString(p, edited);
            }
        }
        RgbImage a = RgbImage.filled(64, 64, 0x808080);
        try (OnnxModel model = OnnxModel.open(dir, OnnxSettings.defaults().withParallel(1))) {
            assertThat(model.generate(List.of(a), "Describe the image.", 4).tokens()).isNotEmpty();
            assertThatThrownBy(() -> model.generate(List.of(a, a), "Describe the image.", 4))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("takes one image per prompt")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void moreImagesThanThePositionsHoldAreRefusedInOneLine() {
        RgbImage a = RgbImage.filled(64, 64, 0x808080);
        try (OnnxModel model = OnnxModel.open(Goldens.REPO.resolve("models/tiny-shapes-llava"),
                OnnxSettings.defaults().withParallel(1))) {
            List<RgbImage> four = new ArrayList<>(List.of(a, a, a, a)); // 4 x 64 image tokens > 256 positions
            assertThatThrownBy(() -> model.generate(four, "Describe the image.", 4))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("256 image tokens for 4 images")
                    .hasMessageNotContaining("\n");
        }
    }

    private static double[] head(double[] a, int n) {
        return java.util.Arrays.copyOf(a, n);
    }

    private static void copyTree(Path src, Path dst) throws IOException {
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
