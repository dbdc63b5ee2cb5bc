package io.github.eagle4j.onnx.family;

import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;

/**
 * One family of vision-language models as their ONNX exports are fed: the image preprocessing, the text that
 * stands for the image in the prompt, and the position ids. Everything else (the three graphs, the scatter of
 * image features into the image-token positions, teacher forcing, generation) is shared. A family is chosen by
 * {@code config.json} {@code model_type} in {@link ModelFamilies}; adding one is one class registered there.
 */
public interface ModelFamily {
    /** The family's name as reports show it, e.g. {@code qwen2_vl}. */
    String name();

    /** The image preprocessing, read from {@code preprocessor_config.json}. */
    ImageProcessor imageProcessor();

    /**
     * The text that replaces the single image placeholder the chat template renders; by default the image token
     * repeated {@code layout.imageTokens()} times (LLaVA, Qwen-VL).
     */
    default String expandImage(String imageToken, ImageLayout layout) {
        return imageToken.repeat(layout.imageTokens());
    }

    /** Rows of {@code position_ids}: 1 for {@code [batch, seq]}, 3 for M-RoPE's {@code [3, batch, seq]}. */
    int positionRows();

    /**
     * Position ids of one sequence whose image tokens follow {@code layout}: {@code [positionRows()][ids.length]}.
     * Tokens appended later continue at the largest position so far plus one, on every row.
     */
    long[][] positionIds(long[] ids, ImageLayout layout);

    /**
     * Position ids of one sequence with several images, whose runs of image tokens follow {@code layouts} in order.
     * By default the one-image positions, which fits families whose positions ignore the layout and sequences whose
     * images share one layout; families with image-dependent positions and images of different layouts override it.
     */
    default long[][] positionIds(long[] ids, java.util.List<ImageLayout> layouts) {
        return positionIds(ids, layouts.get(0));
    }

    /** The family's video input, read from the model's files; empty when the model takes no video (docs/frames.md). */
    default java.util.Optional<VideoSupport> video() {
        return java.util.Optional.empty();
    }

    /** The position a token appended after {@code positions} gets, on every row: the largest so far plus one. */
    static long nextPosition(long[][] positions) {
        long max = -1;
        for (long[] row : positions) {
            for (long p : row) {
                max = Math.max(max, p);
            }
        }
        return max + 1;
    }

    /** Cumulative positions {@code 0..n-1} in one row, for families without multi-dimensional positions. */
    static long[][] sequentialPositions(int n) {
        long[] row = new long[n];
        for (int i = 0; i < n; i++) {
            row[i] = i;
        }
        return new long[][] {row};
    }
}
