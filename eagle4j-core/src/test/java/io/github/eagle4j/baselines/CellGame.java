package io.github.eagle4j.baselines;

import io.github.eagle4j.Fill;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.regions.GridSegmenter;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

/**
 * A test world with known answers: an image of rows×cols grid cells of 4×4 pixels, each painted its own
 * non-black colour, cut into those cells, and a scorer that reads which cells are visible in each masked image
 * (a cell is visible when its pixel is not black) and returns a probability computed from that set. Records the
 * size of every scorer call.
 */
final class CellGame implements TokenScorer {
    final int rows;
    final int cols;
    final RgbImage image;
    final RegionSet regions;
    final Function<BitSet, Double> probability;
    final List<Integer> calls = new ArrayList<>();
    private final ScoringTask task = new ScoringTask("q", "a", List.of("a"), List.of(new Target(0, "a", 7)));

    CellGame(int rows, int cols, Function<BitSet, Double> probability) {
        this.rows = rows;
        this.cols = cols;
        int w = cols * 4;
        int h = rows * 4;
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = 0x102030 + ((y / 4) * cols + x / 4) * 0x030507;
            }
        }
        this.image = RgbImage.of(w, h, px);
        this.regions = new GridSegmenter(rows, cols).segment(image);
        this.probability = probability;
    }

    /** Probability = base + Σ weights of the visible cells. */
    static CellGame additive(int rows, int cols, double base, double... weights) {
        return new CellGame(rows, cols, s -> {
            double p = base;
            for (int r = s.nextSetBit(0); r >= 0; r = s.nextSetBit(r + 1)) {
                p += weights[r];
            }
            return p;
        });
    }

    Masker masker() {
        return new Masker(image, regions, Fill.BLACK);
    }

    long images() {
        return calls.stream().mapToLong(Integer::longValue).sum();
    }

    @Override
    public ScoringTask task() {
        return task;
    }

    @Override
    public double[][] score(List<RgbImage> images) {
        calls.add(images.size());
        double[][] out = new double[images.size()][1];
        for (int i = 0; i < images.size(); i++) {
            BitSet visible = new BitSet(rows * cols);
            for (int c = 0; c < rows * cols; c++) {
                if (images.get(i).rgb((c % cols) * 4, (c / cols) * 4) != 0) {
                    visible.set(c);
                }
            }
            out[i][0] = probability.apply(visible);
        }
        return out;
    }
}
