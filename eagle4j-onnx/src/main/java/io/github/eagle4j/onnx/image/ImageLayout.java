package io.github.eagle4j.onnx.image;

import java.util.Arrays;

/**
 * What an image of one size means to a model: how many image tokens it becomes and the family's grid. A layout
 * depends on the image size only, so every masked copy of an image has its original's layout — the prompt, the
 * positions and the answer positions stay the same across the images of one explanation.
 *
 * @param width       image width in pixels, before preprocessing
 * @param height      image height in pixels
 * @param imageTokens image tokens the vision encoder emits for one such image
 * @param grid        the family's grid: Qwen-VL {t, h, w} in patches before merging; Idefics3 {rows, cols} of tiles
 *                    ({0, 0} when not split); empty for fixed-resolution models
 */
public record ImageLayout(int width, int height, int imageTokens, int[] grid) {
    public ImageLayout {
        grid = grid.clone();
    }

    /** A copy of the grid. */
    @Override
    public int[] grid() {
        return grid.clone();
    }

    public int grid(int i) {
        return grid[i];
    }

    /**
     * What the token sequence depends on: the image tokens and the grid, not the pixel size. Images whose layouts
     * have equal keys share one prompt, one set of positions and one feature count (e.g. every image of a
     * fixed-resolution model).
     */
    public String tokenKey() {
        return imageTokens + Arrays.toString(grid);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageLayout l && l.width == width && l.height == height && l.imageTokens == imageTokens
                && Arrays.equals(l.grid, grid);
    }

    @Override
    public int hashCode() {
        return (31 * width + height) * 31 + imageTokens;
    }

    @Override
    public String toString() {
        return width + "x" + height + " -> " + imageTokens + " image tokens" + (grid.length == 0 ? "" : " " + Arrays.toString(grid));
    }
}
