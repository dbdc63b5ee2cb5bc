package io.github.eagle4j.cli;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.Segmenter;
import io.github.eagle4j.regions.GridSegmenter;
import io.github.eagle4j.regions.LabelMapSegmenter;
import io.github.eagle4j.regions.SlicSegmenter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * How the image is divided into regions (a mixin): SLIC superpixels (default), a grid, or a user label map.
 */
public final class RegionOptions {
    @ArgGroup(validate = false, heading = HelpSections.REGIONS, order = HelpSections.REGIONS_ORDER)
    Fields fields = new Fields();

    /** The options themselves, in their help section. */
    static final class Fields {
        @Option(names = "--regions", paramLabel = "N", defaultValue = "64",
                description = "Nominal number of SLIC superpixel regions (default: ${DEFAULT-VALUE}, the authors' default).")
        int regions;

        @Option(names = "--grid", paramLabel = "ROWSxCOLS",
                description = "Use a regular grid of ROWS x COLS cells instead of superpixels, e.g. 8x8.")
        String grid;

        @Option(names = "--regions-file", paramLabel = "LABELS.png",
                description = "Use this 16-bit grayscale PNG (the image's size, pixel value = region id 0..N-1), "
                        + "e.g. the regions.png of an earlier run.")
        Path regionsFile;
    }

    /** True when {@code --regions-file} gives the regions. */
    boolean fromFile() {
        return fields.regionsFile != null;
    }

    /** How the regions are made, as recorded in a data set's summary: {@code grid RxC} or {@code slic N}. */
    String describe() {
        return fields.grid != null ? "grid " + fields.grid.toLowerCase(java.util.Locale.ROOT) : "slic " + fields.regions;
    }

    /**
     * A note when {@code --regions} asks for more regions than an image of this size holds (one per 4 pixels): SLIC
     * then uses that many instead.
     */
    java.util.Optional<String> capNote(int width, int height) {
        int max = SlicSegmenter.maxRegions(width, height);
        if (fields.grid != null || fields.regionsFile != null || fields.regions <= max) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("note: --regions " + fields.regions + " is more than a " + width + "x" + height
                + " image holds; using " + max + " (one region per 4 pixels)");
    }

    /**
     * The number of regions asked for, before an image is seen: the grid's cells or the nominal SLIC count (an image
     * may hold fewer; SLIC does not return many more).
     */
    int nominalCount() {
        Segmenter segmenter = segmenter();
        return segmenter instanceof GridSegmenter g ? g.rows() * g.cols() : fields.regions;
    }

    /** The segmenter the options describe. */
    Segmenter segmenter() {
        if (fields.grid != null && fields.regionsFile != null) {
            throw new InvalidInputException("--grid and --regions-file cannot be used together");
        }
        if (fields.regionsFile != null) {
            return new LabelMapSegmenter(fields.regionsFile);
        }
        if (fields.grid != null) {
            String[] parts = fields.grid.toLowerCase(java.util.Locale.ROOT).split("x");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                int rows = Integer.parseInt(parts[0].strip());
                int cols = Integer.parseInt(parts[1].strip());
                if (rows < 1 || cols < 1 || (long) rows * cols < 2) {
                    throw new InvalidInputException("--grid " + fields.grid + ": at least 2 cells are needed");
                }
                return new GridSegmenter(rows, cols);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--grid " + fields.grid + ": expected ROWSxCOLS such as 8x8");
            }
        }
        if (fields.regions < 2) {
            throw new InvalidInputException("--regions " + fields.regions + ": at least 2 regions are needed");
        }
        return new SlicSegmenter(fields.regions);
    }
}
