package io.github.eagle4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What made a {@link RegionSet}: the segmenter's name and the settings it used on that image (values derived
 * from the image's size included), written as {@code provenance.segmenter} and
 * {@code provenance.segmenterSettings}. Settings differ per segmenter (SLIC: nominal count, seed spacing,
 * minimum region size, ...; grid: rows, cols; label map: file), hence a map in the segmenter's own key order.
 *
 * @param segmenter {@code slic}, {@code grid}, {@code label-map} or another segmenter's {@link Segmenter#name()}
 * @param settings  the settings, in the order they are written
 */
public record Segmentation(String segmenter, Map<String, Object> settings) {
    public Segmentation {
        Objects.requireNonNull(segmenter, "segmenter");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
