package io.github.eagle4j.regions;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Segmentation;
import io.github.eagle4j.Segmenter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A regular rows×cols grid (docs/method.md §2; the authors use a 5×5 grid per video frame).
 *
 * <p>Row i covers pixel rows {@code floor(i·H/rows) .. floor((i+1)·H/rows) − 1}, column j covers pixel columns
 * {@code floor(j·W/cols) .. floor((j+1)·W/cols) − 1} (identical to the authors' {@code linspace(0, H, rows+1)}
 * cast to int). The cell in row i, column j is region {@code i·cols + j}. Cells are never merged.
 */
public final class GridSegmenter implements Segmenter {
    private final int rows;
    private final int cols;

    /**
     * @throws InvalidInputException when rows or cols is below 1 or the grid has fewer than 2 cells
     */
    public GridSegmenter(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new InvalidInputException("grid rows and columns must be at least 1, got " + rows + "x" + cols);
        }
        if ((long) rows * cols < 2) {
            throw new InvalidInputException("a grid needs at least 2 cells, got " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
    }

    /** Grid rows. */
    public int rows() {
        return rows;
    }

    /** Grid columns. */
    public int cols() {
        return cols;
    }

    /**
     * @throws InvalidInputException when the image has fewer pixel rows than grid rows or fewer pixel
     *                               columns than grid columns (some cells would be empty)
     */
    @Override
    public RegionSet segment(RgbImage image) {
        int w = image.width();
        int h = image.height();
        if (rows > h || cols > w) {
            throw new InvalidInputException("a " + rows + "x" + cols + " grid (rows x columns) needs an image of at least "
                    + cols + "x" + rows + " pixels, got " + w + "x" + h);
        }
        int[] colOf = new int[w];
        for (int j = 0; j < cols; j++) {
            int x0 = (int) ((long) j * w / cols);
            int x1 = (int) ((long) (j + 1) * w / cols);
            for (int x = x0; x < x1; x++) {
                colOf[x] = j;
            }
        }
        int[] labels = new int[w * h];
        for (int i = 0; i < rows; i++) {
            int y0 = (int) ((long) i * h / rows);
            int y1 = (int) ((long) (i + 1) * h / rows);
            for (int y = y0; y < y1; y++) {
                int row = y * w;
                for (int x = 0; x < w; x++) {
                    labels[row + x] = i * cols + colOf[x];
                }
            }
        }
        return RegionSet.fromLabels(w, h, labels).withSegmentation(new Segmentation(name(), settings()));
    }

    @Override
    public String name() {
        return "grid";
    }

    /** {@code rows}, {@code cols}. */
    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("cols", cols);
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "GridSegmenter[" + rows + "x" + cols + "]";
    }
}
