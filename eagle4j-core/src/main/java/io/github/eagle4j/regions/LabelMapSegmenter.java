package io.github.eagle4j.regions;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Segmentation;
import io.github.eagle4j.Segmenter;
import io.github.eagle4j.imageio.LabelMaps;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regions from a user label map ({@code --regions-file}, docs/method.md §2): a 16-bit (or 8-bit) grayscale
 * PNG of the image's size whose pixel value is the region id.
 *
 * <p>Strict: ids must be dense {@code 0..N-1} with N ≥ 2 and every pixel carries an id (there is no
 * "unlabelled" value). Regions are used as given: never merged, not required to be connected. The file is
 * read on every {@link #segment} call. Every violation is an {@link InvalidInputException} naming the file:
 * wrong size (both sizes given), a missing id (the first one named), a single region, or a file that is not
 * such a PNG (see {@link LabelMaps#read}).
 */
public final class LabelMapSegmenter implements Segmenter {
    private final Path file;

    /** @param file the label-map PNG */
    public LabelMapSegmenter(Path file) {
        this.file = file;
    }

    /** The label-map file. */
    public Path file() {
        return file;
    }

    @Override
    public RegionSet segment(RgbImage image) {
        LabelMaps.LabelMap map = LabelMaps.read(file);
        if (map.width() != image.width() || map.height() != image.height()) {
            throw new InvalidInputException("regions file " + file + " is " + map.width() + "x" + map.height()
                    + " pixels but the image is " + image.width() + "x" + image.height());
        }
        int[] labels = map.labels();
        int max = 0;
        for (int v : labels) {
            max = Math.max(max, v);
        }
        boolean[] seen = new boolean[max + 1];
        for (int v : labels) {
            seen[v] = true;
        }
        for (int id = 0; id <= max; id++) {
            if (!seen[id]) {
                throw new InvalidInputException("regions file " + file + ": region ids must be dense 0.." + max
                        + " but id " + id + " has no pixel");
            }
        }
        if (max == 0) {
            throw new InvalidInputException("regions file " + file + " holds a single region (every pixel is 0);"
                    + " at least 2 regions are needed");
        }
        return RegionSet.fromLabels(image.width(), image.height(), labels)
                .withSegmentation(new Segmentation(name(), settings()));
    }

    @Override
    public String name() {
        return "label-map";
    }

    /** {@code file}: the path as given. */
    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "LabelMapSegmenter[" + file + "]";
    }
}
