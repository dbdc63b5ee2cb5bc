package io.github.eagle4j.onnx;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.Fill;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.regions.GridSegmenter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Measures how many masked images per second the ONNX backend scores, the work {@code eagle explain} spends its
 * time on: per batch size, repeated {@code score} calls with {@code batchSize × parallel} freshly masked copies of
 * the image (half of an 8×8 grid blacked out at random, seed 0, made by a {@link Masker} as an explanation's are),
 * so that every parallel run gets one batch.
 * The answer is the model's own greedy answer (at most 16 tokens); every answer token is a target.
 */
public final class OnnxBenchmark {
    /** The batch sizes of {@code eagle bench}. */
    public static final List<Integer> BATCH_SIZES = List.of(1, 8, 32);
    /** The prompt used when none is given. */
    public static final String DEFAULT_PROMPT = "Describe the image.";

    private OnnxBenchmark() {
    }

    /** Opens the model with {@code settings}, measures batch sizes 1, 8, 32 for about 3 s each, closes the model. */
    public static BenchmarkResult run(Path modelDir, RgbImage image, Map<String, String> settings) {
        try (OnnxModel model = OnnxModel.open(modelDir, OnnxSettings.fromMap(settings))) {
            return run(model, image, DEFAULT_PROMPT, BATCH_SIZES, Duration.ofSeconds(3));
        }
    }

    /**
     * Measures an open model.
     *
     * @param minTime timed calls per batch size continue until this much time has passed (at least one call, after an
     *                untimed warm-up call with one image per parallel run)
     */
    public static BenchmarkResult run(OnnxModel model, RgbImage image, String prompt, List<Integer> batchSizes, Duration minTime) {
        if (batchSizes.isEmpty()) {
            throw new InvalidInputException("no batch sizes to measure");
        }
        String answer = model.generate(image, prompt, 16).text();
        if (answer.isBlank()) {
            answer = "a";
        }
        List<AnswerToken> tokens = model.answerTokens(prompt, answer);
        int seqLen = model.encode(prompt, answer, image.width(), image.height()).fullIds().length;
        int parallel = model.parallelRuns();
        Random random = new Random(0);
        Masker masker = gridMasker(image);
        List<BenchmarkResult.Row> rows = new ArrayList<>();
        for (int b : batchSizes) {
            try (OnnxTokenScorer scorer = model.scorer(prompt, answer, TargetSelection.all(tokens), b)) {
                int perCall = b * parallel;
                scorer.scoreMasked(masked(masker, parallel, random));
                long ort0 = model.ortNanos();
                long t0 = System.nanoTime();
                long minNanos = minTime.toNanos();
                int images = 0;
                int calls = 0;
                while (calls < 1 || System.nanoTime() - t0 < minNanos) {
                    scorer.scoreMasked(masked(masker, perCall, random));
                    images += perCall;
                    calls++;
                }
                long wall = System.nanoTime() - t0;
                long ort = model.ortNanos() - ort0;
                double seconds = wall / 1e9;
                double outside = 1.0 - (double) ort / ((double) wall * parallel);
                rows.add(new BenchmarkResult.Row(b, images, seconds, images / seconds, Math.max(0.0, Math.min(1.0, outside))));
            }
        }
        return new BenchmarkResult(model.directory().toString(), model.device(), model.settings().threads(), parallel, seqLen,
                tokens.size(), rows);
    }

    /** A black-fill masker over an 8×8 grid of the image (fewer cells along a side shorter than 8 pixels). */
    static Masker gridMasker(RgbImage image) {
        RegionSet cells = new GridSegmenter(Math.min(8, image.height()), Math.min(8, image.width())).segment(image);
        return new Masker(image, cells, Fill.BLACK);
    }

    /** {@code count} masked copies, each with a random half of the cells black. */
    static MaskedBatch masked(Masker masker, int count, Random random) {
        int cells = masker.regions().regionCount();
        List<BitSet> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BitSet kept = new BitSet(cells);
            for (int c = 0; c < cells; c++) {
                if (random.nextBoolean()) {
                    kept.set(c);
                }
            }
            out.add(kept);
        }
        return new MaskedBatch(masker, out);
    }
}
