package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.Fill;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.VideoSampling;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.onnx.family.VideoSupport;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.text.EncodedConversation;
import io.github.eagle4j.regions.FrameSegmenter;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Video input on the Qwen-VL fixture models against PyTorch (fixtures/video_goldens.py, fixtures/goldens/video): the
 * frames the processor samples, the preprocessed temporal patches, the expanded token ids, the M-RoPE position ids
 * (Qwen2.5-VL's temporal spacing included) and the teacher-forced probability of every answer token, intact and with
 * frames masked (one frame of a temporal pair, a whole frame, the repeated last frame of an odd count), one at a time
 * and as one batch; the masked videos once more through per-frame grid regions and a masker.
 */
class VideoModelTest {
    static final Path VIDEO = Goldens.GOLDENS.resolve("video");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(VIDEO)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList().stream();
        }
    }

    static JsonNode golden(String name) throws IOException {
        return new ObjectMapper().readTree(VIDEO.resolve(name + ".json").toFile());
    }

    static Path modelDir(JsonNode g) {
        return Goldens.REPO.resolve("fixtures/models/" + g.get("model").asText());
    }

    /** The sampled frames of a case, from its source frames and the sampling the model's files give. */
    static List<RgbImage> source(JsonNode g) {
        List<RgbImage> out = new ArrayList<>();
        for (JsonNode f : g.get("sourceFrames")) {
            out.add(Goldens.loadPng(VIDEO.resolve(f.asText())));
        }
        return out;
    }

    static RgbImage blackCells(RgbImage frame, JsonNode cells) {
        RegionSet grid = new GridSegmenter(4, 4).segment(frame);
        BitSet keep = new BitSet();
        keep.set(0, grid.regionCount());
        for (JsonNode c : cells) {
            keep.clear(c.asInt());
        }
        return new Masker(frame, grid, Fill.BLACK).keep(keep);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void samplingPatchesIdsPositionsAndProbabilitiesEqualPyTorch(String name) throws IOException {
        JsonNode g = golden(name);
        List<RgbImage> source = source(g);
        double sourceFps = g.get("sourceFps").asDouble();
        try (OnnxModel model = OnnxModel.open(modelDir(g), OnnxSettings.defaults().withParallel(1))) {
            VideoSampling sampling = model.videoSampling().orElseThrow();
            int[] indices = g.get("case").asText().equals("sampled") ? sampling.indices(source.size(), sourceFps, null, null)
                    : IntStream.range(0, source.size()).toArray();
            assertThat(indices).containsExactly(Goldens.longs(g.get("indices")).length == 0 ? new int[0]
                    : java.util.Arrays.stream(Goldens.longs(g.get("indices"))).mapToInt(x -> (int) x).toArray());
            List<RgbImage> frames = new ArrayList<>();
            double[] timestamps = new double[indices.length];
            for (int i = 0; i < indices.length; i++) {
                frames.add(source.get(indices[i]));
                timestamps[i] = indices[i] / sourceFps;
            }
            double sampledFps = (double) indices.length / source.size() * sourceFps;
            assertThat(sampledFps).isEqualTo(g.get("sampledFps").asDouble());
            FrameLayout layout = FrameLayout.of(frames);
            VideoClip clip = new VideoClip(layout, indices, timestamps, sampledFps);

            // preprocessed temporal patches, per variant
            VideoSupport support = model.videoSupport();
            List<ImageLayout> layouts = support.layouts(clip);
            JsonNode grid = g.get("videoGridThw");
            assertThat(layouts).hasSize(grid.get(0).asInt());
            assertThat(layouts.get(0).grid()).containsExactly(1, grid.get(1).asInt(), grid.get(2).asInt());
            Map<String, List<RgbImage>> variants = new java.util.LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = g.get("masks").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<RgbImage> v = new ArrayList<>(frames);
                for (Iterator<Map.Entry<String, JsonNode>> m = e.getValue().fields(); m.hasNext(); ) {
                    Map.Entry<String, JsonNode> cells = m.next();
                    int k = Integer.parseInt(cells.getKey());
                    v.set(k, blackCells(frames.get(k), cells.getValue()));
                }
                variants.put(e.getKey(), v);
            }
            for (Map.Entry<String, List<RgbImage>> v : variants.entrySet()) {
                List<ImageInput> patches = support.temporalPatches(ImageInput.of(v.getValue()));
                int rows = layouts.get(0).grid(1) * layouts.get(0).grid(2);
                int perRow = 3 * 2 * 16;
                FloatBuffer buf = FloatBuffer.allocate(patches.size() * rows * perRow);
                try (io.github.eagle4j.onnx.runtime.TensorScope scope =
                             new io.github.eagle4j.onnx.runtime.TensorScope(ai.onnxruntime.OrtEnvironment.getEnvironment())) {
                    for (ImageInput patch : patches) {
                        var inputs = support.processor().visionInputs(List.of(patch), layouts.get(0), scope);
                        buf.put(inputs.get("pixel_values").getFloatBuffer());
                    }
                } catch (ai.onnxruntime.OrtException e) {
                    throw new AssertionError(e);
                }
                assertChecksums(buf.array(), g.get("pixelValues").get(v.getKey()), name + " " + v.getKey() + " pixel values");
            }

            String prompt = g.get("prompt").asText();
            String answer = g.get("answer").asText();
            EncodedConversation c = model.encode(prompt, answer, clip);
            long[] ids = Goldens.longs(g.get("fullIds"));
            assertThat(ids.length - c.fullIds().length).isBetween(0, 1);
            assertThat(c.fullIds()).containsExactly(java.util.Arrays.copyOf(ids, c.fullIds().length));
            assertThat(c.answerStart()).isEqualTo(g.get("answerStart").asInt());
            long[][] pos = model.positionIds(ids, clip);
            JsonNode posRows = g.get("positionIds").get("rows");
            for (int r = 0; r < 3; r++) {
                assertThat(pos[r]).as(name + " M-RoPE row " + r).containsExactly(Goldens.longs(posRows.get(r)));
            }

            int answerTokens = c.fullIds().length - c.answerStart();
            List<Integer> all = IntStream.range(0, answerTokens).boxed().toList();
            List<String> keys = new ArrayList<>(variants.keySet());
            List<RgbImage> canvases = new ArrayList<>();
            for (String k : keys) {
                canvases.add(layout.compose(variants.get(k)));
            }
            try (OnnxTokenScorer scorer = model.scorer(prompt, answer, all, clip)) {
                double worst = 0;
                for (int i = 0; i < keys.size(); i++) {
                    double[] p = scorer.score(List.of(canvases.get(i)))[0];
                    double d = Goldens.maxAbsDiff(p, head(Goldens.doubles(g.get("probs").get(keys.get(i))), answerTokens));
                    worst = Math.max(worst, d);
                    assertThat(d).as(name + " " + keys.get(i) + " at batch 1").isLessThan(1e-5);
                }
                double[][] batched = scorer.score(canvases);
                for (int i = 0; i < keys.size(); i++) {
                    double d = Goldens.maxAbsDiff(batched[i], head(Goldens.doubles(g.get("batched").get("probs").get(i)), answerTokens));
                    worst = Math.max(worst, d);
                    assertThat(d).as(name + " " + keys.get(i) + " at batch " + keys.size()).isLessThan(1e-5);
                }
                // the measured agreement, for docs/frames.md
                System.out.printf(java.util.Locale.ROOT, "%s: %d answer tokens, %d variants, max |p(Java) - p(PyTorch)| = %.2e%n",
                        name, answerTokens, keys.size(), worst);
                // the same masked videos from per-frame 4x4 grids: a removed cell is black in its own frame only
                RgbImage intact = canvases.get(0);
                RegionSet regions = new FrameSegmenter(layout, new GridSegmenter(4, 4)).segment(intact);
                List<BitSet> kept = new ArrayList<>();
                for (String k : keys) {
                    BitSet keep = new BitSet();
                    keep.set(0, regions.regionCount());
                    for (Iterator<Map.Entry<String, JsonNode>> m = g.get("masks").get(k).fields(); m.hasNext(); ) {
                        Map.Entry<String, JsonNode> cells = m.next();
                        int frame = Integer.parseInt(cells.getKey());
                        for (JsonNode cell : cells.getValue()) {
                            keep.clear(frame * 16 + cell.asInt());
                        }
                    }
                    kept.add(keep);
                }
                double[][] masked = scorer.scoreMasked(new MaskedBatch(new Masker(intact, regions, Fill.BLACK), kept));
                for (int i = 0; i < keys.size(); i++) {
                    assertThat(Goldens.maxAbsDiff(masked[i], batched[i])).as(name + " " + keys.get(i) + " through the masker")
                            .isLessThan(1e-6);
                }
            }
        }
    }

    @Test
    void framesOfDifferentSizesAndTooManyFramesAreRefusedInOneLine() throws IOException {
        JsonNode g = golden("tiny-random-qwen2-vl-odd");
        RgbImage a = RgbImage.filled(48, 40, 0x808080);
        RgbImage b = RgbImage.filled(56, 40, 0x808080);
        try (OnnxModel model = OnnxModel.open(modelDir(g), OnnxSettings.defaults().withParallel(1))) {
            VideoClip mixed = clip(List.of(a, b, a, a));
            assertThatThrownBy(() -> model.scorer("Describe the video.", "A circle.", List.of(0), mixed))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("frame 1 is 56x40").hasMessageNotContaining("\n");
            List<RgbImage> many = new ArrayList<>();
            for (int i = 0; i < 18; i++) {
                many.add(a);
            }
            assertThatThrownBy(() -> model.generate(many, clip(many), "Describe the video.", 4))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("at most 16 video frames").hasMessageNotContaining("\n");
            assertThatThrownBy(() -> model.videoSampling().orElseThrow().indices(40, 4.0, 18, null))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 16");
            // the default sampling clamps a long video to max_frames
            assertThat(model.videoSampling().orElseThrow().indices(400, 4.0, null, null)).hasSize(16);
        }
    }

    @Test
    void familiesWithoutVideoRefuseInOneLine() {
        RgbImage a = RgbImage.filled(64, 64, 0x808080);
        for (String dir : List.of("models/tiny-shapes-llava", "fixtures/models/tiny-random-idefics3")) {
            try (OnnxModel model = OnnxModel.open(Goldens.REPO.resolve(dir), OnnxSettings.defaults().withParallel(1))) {
                assertThat(model.videoSampling()).as(dir).isEmpty();
                assertThatThrownBy(() -> model.scorer("Describe the video.", "A circle.", List.of(0), clip(List.of(a, a))))
                        .as(dir).isInstanceOf(InvalidInputException.class)
                        .hasMessageContaining("takes no video").hasMessageNotContaining("\n");
            }
        }
    }

    @Test
    void generationOnAVideoAnswersAndTheScorerOfItsTokensAgrees() throws IOException {
        JsonNode g = golden("tiny-random-qwen2_5-vl-odd");
        List<RgbImage> frames = source(g);
        VideoClip clip = clip(frames);
        try (OnnxModel model = OnnxModel.open(modelDir(g), OnnxSettings.defaults().withParallel(1))) {
            var gen = model.generate(frames, clip, "Describe the video.", 4);
            assertThat(gen.tokens()).isNotEmpty();
            try (OnnxTokenScorer s = model.scorer("Describe the video.", gen, List.of(0), clip)) {
                double p = s.score(List.of(clip.frames().compose(frames)))[0][0];
                // greedy: the first generated token is the most likely one, so it has at least 1/vocabulary
                assertThat(p).isGreaterThan(1.0 / 512);
            }
        }
    }

    static VideoClip clip(List<RgbImage> frames) {
        int[] idx = IntStream.range(0, frames.size()).toArray();
        double[] ts = IntStream.range(0, frames.size()).asDoubleStream().toArray();
        return new VideoClip(FrameLayout.of(frames), idx, ts, 1.0);
    }

    /** The golden's shape, sums and sampled values of the preprocessed values (float32 rounding allowed). */
    static void assertChecksums(float[] got, JsonNode sums, String what) {
        long n = 1;
        for (JsonNode d : sums.get("shape")) {
            n *= d.asLong();
        }
        assertThat((long) got.length).as(what + " count").isEqualTo(n);
        double sum = 0;
        double squares = 0;
        for (float f : got) {
            sum += f;
            squares += (double) f * f;
        }
        // float32 values summed: relative 1e-6
        double want = sums.get("sum").asDouble();
        assertThat(sum).as(what + " sum").isCloseTo(want, org.assertj.core.data.Offset.offset(1e-3 + 1e-6 * Math.abs(want)));
        double wantSquares = sums.get("sumOfSquares").asDouble();
        assertThat(squares).as(what + " sum of squares").isCloseTo(wantSquares, org.assertj.core.data.Offset.offset(1e-3 + 1e-6 * wantSquares));
        JsonNode idx = sums.get("sampleIndices");
        JsonNode val = sums.get("sampleValues");
        for (int i = 0; i < idx.size(); i++) {
            assertThat((double) got[idx.get(i).asInt()]).as(what + " value " + idx.get(i).asInt())
                    .isCloseTo(val.get(i).asDouble(), org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    static double[] head(double[] a, int n) {
        return java.util.Arrays.copyOf(a, n);
    }
}
