package io.github.eagle4j;

import java.util.Map;

/** Divides an image into regions (docs/method.md §2). Implementations are deterministic. */
public interface Segmenter {
    /** The regions of {@code image}. */
    RegionSet segment(RgbImage image);

    /** Short name for provenance: {@code slic}, {@code grid}, {@code label-map}. */
    String name();

    /** Settings for provenance, e.g. nominal region count, seed spacing, minimum region size. */
    Map<String, Object> settings();
}
