package io.github.eagle4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What produced an explanation and with which settings (the {@code provenance} object of
 * {@code explanation.json}; its {@code method} and {@code search} fields come from the explanation's
 * {@link Ordering}). Knobs that differ per search, per baseline or per backend stay maps in their producer's key
 * order: {@link io.github.eagle4j.search.RegionSearch#settings()} (key names in
 * {@link io.github.eagle4j.search.SearchSettings}), {@link io.github.eagle4j.baselines.RegionAttribution#settings()},
 * {@link TokenScorer#statistics()}.
 *
 * @param tool                 {@code eagle4j}
 * @param version              the eagle4j version ({@link Version#get()})
 * @param backend              the scorer's backend, e.g. {@code onnx}, {@code vllm}
 * @param model                model directory, repository id or URL
 * @param precision            e.g. {@code fp32 cpu}; hosted APIs say how approximate
 * @param segmentation         the segmenter and the settings it used on this image
 * @param regionCount          N, the true region count
 * @param unlabelledPixels     pixels in no region (a user label map may leave some)
 * @param imageWidth           the image's width in pixels
 * @param imageHeight          the image's height in pixels
 * @param searchSettings       the search's knobs (λs, s/p/u, b, ε, budget, ...); {@code null} when a baseline
 *                             ordered the regions
 * @param baseline             what the baseline did; {@code null} when EAGLE's search ordered the regions
 * @param sensitivityThreshold probability gain above which a target counts as sensitive
 * @param eachToken            whether every target was also explained on its own ({@code --each-token})
 * @param scorerStatistics     the scorer's counters (requests, tokens billed, ...); empty for most backends
 * @param seed                 the seed that made the result, or {@code null} when no randomness was involved
 */
public record Provenance(String tool, String version, String backend, String model, String precision,
                         Segmentation segmentation, int regionCount, int unlabelledPixels, int imageWidth,
                         int imageHeight, Map<String, Object> searchSettings, BaselineRun baseline,
                         double sensitivityThreshold, boolean eachToken, Map<String, Object> scorerStatistics,
                         Long seed) {
    /** The value of {@link #tool()}. */
    public static final String TOOL = "eagle4j";

    public Provenance {
        Objects.requireNonNull(segmentation, "segmentation");
        if ((searchSettings == null) == (baseline == null)) {
            throw new IllegalArgumentException("exactly one of searchSettings and baseline is given");
        }
        searchSettings = searchSettings == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(searchSettings));
        scorerStatistics = Collections.unmodifiableMap(new LinkedHashMap<>(scorerStatistics));
    }

    /**
     * What a baseline did to order the regions ({@code provenance.methodSettings}, {@code methodScores},
     * {@code methodImages}, {@code curveImages}).
     *
     * @param settings    the baseline's knobs (samples, seed, p, kernel width, ...), in its own key order
     * @param scores      raw attribution per region id, in the baseline's own units
     * @param images      images the baseline scored to build its order
     * @param curveImages images scored afterwards for the curves (2N)
     */
    public record BaselineRun(Map<String, Object> settings, double[] scores, long images, long curveImages) {
        public BaselineRun {
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }
    }
}
