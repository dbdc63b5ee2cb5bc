package io.github.eagle4j.onnx.family;

import io.github.eagle4j.InvalidInputException;

/**
 * Multimodal rotary positions (M-RoPE) of the Qwen-VL line: transformers' {@code Qwen2VLModel.get_rope_index} for
 * sequences whose images all have the same grid.
 *
 * <p>Text tokens get the same position on all three rows (temporal, height, width), counting up from 0. A run of
 * image tokens, {@code t · (h/m) · (w/m)} long, gets grid coordinates offset by the position where the run starts:
 * row 0 {@code start + frame}, row 1 {@code start + block row}, row 2 {@code start + block column}, in the order of
 * the vision features (frame, block row, block column). Text after the image continues at
 * {@code start + max(h/m, w/m)}, i.e. one past the largest position so far. With positions computed for the whole
 * sequence, generation continues at {@code max + 1} on every row (transformers' {@code rope_deltas}).
 */
public final class QwenRopeIndex {
    private QwenRopeIndex() {
    }

    /**
     * Positions of one sequence, {@code [3][ids.length]}.
     *
     * @param grid {@code {t, h, w}} of every image in the sequence, in patches before merging
     * @throws InvalidInputException when a run of image tokens does not have the grid's length
     */
    public static long[][] positionIds(long[] ids, long imageTokenId, int[] grid, int mergeSize) {
        return positionIds(ids, imageTokenId, new int[][] {grid}, mergeSize);
    }

    /**
     * Positions of one sequence whose runs of image tokens have the grids {@code grids} in order (the last grid also
     * stands for any further run).
     *
     * @param grids {@code {t, h, w}} per image, in patches before merging
     * @throws InvalidInputException when a run of image tokens does not have its grid's length
     */
    public static long[][] positionIds(long[] ids, long imageTokenId, int[][] grids, int mergeSize) {
        return positions(ids, imageTokenId, grids, mergeSize, 1, "image"); // t is 1 for images
    }

    /**
     * Positions of one sequence with one video: its run of video tokens, {@code T · (h/m) · (w/m)} long in the order
     * (temporal patch, block row, block column), gets row 0 {@code start + t · timeInterval}, row 1
     * {@code start + block row}, row 2 {@code start + block column}; text after it continues at
     * {@code start + max(h/m, w/m)}, as transformers 5's {@code get_rope_index} (and {@code get_vision_position_ids})
     * computes it, even where the temporal row has gone further.
     *
     * @param grid         {@code {T, h, w}}: temporal patches, and patches before merging
     * @param timeInterval temporal positions from one temporal patch to the next
     * @throws InvalidInputException when the run of video tokens does not have the grid's length
     */
    public static long[][] videoPositionIds(long[] ids, long videoTokenId, int[] grid, int mergeSize, long timeInterval) {
        return positions(ids, videoTokenId, new int[][] {grid}, mergeSize, timeInterval, "video");
    }

    /**
     * The positions both kinds share: text counts up on all rows; a run of {@code kind} tokens with grid
     * {@code {t, h, w}} gets {@code start + frame · timeInterval}, {@code start + block row}, {@code start + block column},
     * and the text after it continues at {@code start + max(h/m, w/m)} (transformers 5, whatever the temporal row reached).
     */
    private static long[][] positions(long[] ids, long tokenId, int[][] grids, int mergeSize, long timeInterval, String kind) {
        int run = 0;
        long[][] pos = new long[3][ids.length];
        long current = 0;
        int i = 0;
        while (i < ids.length) {
            if (ids[i] != tokenId) {
                pos[0][i] = current;
                pos[1][i] = current;
                pos[2][i] = current;
                current++;
                i++;
                continue;
            }
            int[] grid = grids[Math.min(run++, grids.length - 1)];
            int h = grid[1] / mergeSize;
            int w = grid[2] / mergeSize;
            int tokens = grid[0] * h * w;
            int end = i;
            while (end < ids.length && ids[end] == tokenId) {
                end++;
            }
            if (end - i != tokens) {
                throw new InvalidInputException("a run of " + (end - i) + " " + kind + " tokens (id " + tokenId + ") at position " + i
                        + " does not match the " + kind + " grid " + grid[0] + "x" + grid[1] + "x" + grid[2] + " (" + tokens
                        + " tokens after " + mergeSize + "x" + mergeSize + " merging)");
            }
            for (int j = 0; j < tokens; j++) {
                pos[0][i + j] = current + (j / (h * w)) * timeInterval;
                pos[1][i + j] = current + (j / w) % h;
                pos[2][i + j] = current + j % w;
            }
            current += Math.max(h, w);
            i = end;
        }
        return pos;
    }

    /** transformers' {@code rope_deltas}: {@code max(positions) + 1 − length}. */
    public static long ropeDelta(long[][] positions) {
        return ModelFamily.nextPosition(positions) - positions[0].length;
    }
}
