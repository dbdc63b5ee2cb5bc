package io.github.eagle4j;

import java.util.Map;

/** Divides an image into regions (docs/method.md §2). Implementations are deterministic and hold no per-image state. */
public interface Segmenter {
    /**
     * The regions of {@code image}, carrying the {@link Segmentation} that made them (this segmenter's name and the
     * settings it used on this image, values derived from the image included).
     */
    RegionSet segment(RgbImage image);

    /** Short name for provenance: {@code slic}, {@code grid}, {@code label-map}. */
    String name();

    /**
     * The configured settings, before any image: e.g. nominal region count, minimum region size. The settings used
     * on an image are {@code segment(image).segmentation()}.
     */
    Map<String, Object> settings();
}
