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
 * SLICO superpixels, eagle4j's stand-in for the OpenCV {@code ximgproc} SLICO the EAGLE authors use
 * (docs/method.md §2). Not bit-identical to the authors' regions: expect a similar but not equal count and layout.
 *
 * <p>Pipeline:
 * <ol>
 *   <li>Seed spacing as the authors: {@code S = floor(sqrt(H·W / n))} (at least 1), where {@code n} is
 *       {@code nominalRegions} capped at {@link #maxRegions} (one region per 4 pixels); S is widened while the seed
 *       grid would hold more than {@code 1.5·n} seeds, which happens only for small S ({@link #seedSpacingUsed}).</li>
 *   <li>SLICO clustering in CIELAB (the authors cluster raw BGR; Lab is a documented deviation): a grid of
 *       {@code round(W/S) × round(H/S)} seeds, each moved to the lowest gradient of its 3×3 neighbourhood,
 *       10 rounds of local k-means over 2S×2S windows with SLICO's per-cluster adaptive compactness (the
 *       colour distance is normalised by the largest colour distance the cluster showed in the previous
 *       rounds, so no compactness parameter is needed; details in {@code Slico}).</li>
 *   <li>Connectivity enforced: every 4-connected piece of a cluster becomes its own region; stray pieces
 *       (all but a cluster's largest piece) smaller than {@code S·S/4} — Achanta's SLIC threshold — are
 *       absorbed by a neighbour, so that repetitive texture at the scale of S does not multiply the count.</li>
 *   <li>Every region smaller than {@code minRegionPixels} is merged into the neighbour with which it shares
 *       the longest border (smallest region first; ties: lower id). Stray pieces use the same rule.</li>
 *   <li>Ids renumbered densely 0..N-1 in raster order of each region's first pixel.</li>
 * </ol>
 * The region count N therefore follows the seed grid and the image content, not {@code nominalRegions}
 * exactly; callers report the true N. Images too small for the requested count give fewer regions.
 *
 * <p>Minimum region size: by default {@code max(16, S·S/8)}, but never more than {@code max(1, S·S/2)}, so
 * that tiny images (S ≤ 5, e.g. 8×8 with 4 regions) are not merged into a single region; a value given to
 * the constructor is used as is.
 *
 * <p>Deterministic: no randomness, no threads, {@link StrictMath} colour conversion; the same pixels and
 * settings give the same labels on every run and platform. This is an own Java implementation: BoofCV's
 * {@code SegmentSlic} has a fixed spatial weight, derives its own grid interval from the image minus a
 * border, uses soft k-means updates and merges regions smaller than half the nominal size by colour, so it
 * cannot honour the authors' seed spacing, SLICO's adaptive compactness or the merge rule above.
 *
 * <p>Instances are immutable; {@link #segment} may be called from several threads. The settings derived for an
 * image travel with its {@link RegionSet} ({@link RegionSet#segmentation()}).
 */
public final class SlicSegmenter implements Segmenter {
    /** The authors' default requested region count. */
    public static final int DEFAULT_NOMINAL_REGIONS = 64;

    /** Name of the algorithm in {@link #settings()}. */
    public static final String ALGORITHM = "slico";

    private static final int AUTO = 0;

    private final int nominalRegions;
    private final int minRegionPixels;

    /** 64 nominal regions, automatic minimum region size. */
    public SlicSegmenter() {
        this(DEFAULT_NOMINAL_REGIONS);
    }

    /**
     * @param nominalRegions requested number of regions (at least 2); the true count differs
     * @throws InvalidInputException when {@code nominalRegions < 2}
     */
    public SlicSegmenter(int nominalRegions) {
        this(nominalRegions, AUTO, true);
    }

    /**
     * @param nominalRegions  requested number of regions (at least 2)
     * @param minRegionPixels regions smaller than this are merged into a neighbour (at least 1; 1 = no merge)
     * @throws InvalidInputException when a value is out of range
     */
    public SlicSegmenter(int nominalRegions, int minRegionPixels) {
        this(nominalRegions, minRegionPixels, false);
        if (minRegionPixels < 1) {
            throw new InvalidInputException("minRegionPixels must be at least 1, got " + minRegionPixels);
        }
    }

    private SlicSegmenter(int nominalRegions, int minRegionPixels, boolean auto) {
        if (nominalRegions < 2) {
            throw new InvalidInputException("the number of regions must be at least 2, got " + nominalRegions);
        }
        this.nominalRegions = nominalRegions;
        this.minRegionPixels = auto ? AUTO : minRegionPixels;
    }

    /** The requested number of regions. */
    public int nominalRegions() {
        return nominalRegions;
    }

    /** The authors' seed spacing {@code S = floor(sqrt(H·W / nominal))}, at least 1. */
    public static int seedSpacing(int width, int height, int nominalRegions) {
        return Math.max(1, (int) Math.floor(Math.sqrt((double) width * height / nominalRegions)));
    }

    /** The most regions an image of this size is divided into: one per 4 pixels (seed spacing 2), at least 2. */
    public static int maxRegions(int width, int height) {
        return (int) Math.max(2, Math.min(Integer.MAX_VALUE, (long) width * height / 4));
    }

    /**
     * The seed spacing {@link #segment} uses: the authors' {@link #seedSpacing} for {@code min(nominal, maxRegions)},
     * narrowed while its seed grid holds a single seed, widened while it would hold more than 1.5 times that many seeds. The authors' floor makes small
     * spacings overshoot (2000 regions on 128×128 gives S = 2, a grid of 4096 seeds); widening keeps the count near
     * the request and leaves the usual cases (e.g. 64 regions on 224×224 or 640×480) as the authors have them.
     */
    public static int seedSpacingUsed(int width, int height, int nominalRegions) {
        int n = Math.min(nominalRegions, maxRegions(width, height));
        int s = seedSpacing(width, height, n);
        while (seeds(width, height, s) < 2 && s > 1) {
            s--; // e.g. 2 regions on a square: the authors' S leaves a single seed
        }
        while (seeds(width, height, s) > n * 3L / 2 && seeds(width, height, s + 1) >= 2) {
            s++;
        }
        return s;
    }

    private static long seeds(int width, int height, int spacing) {
        return (long) Slico.strips(width, spacing) * Slico.strips(height, spacing);
    }

    /** The default minimum region size for seed spacing S: {@code min(max(16, S·S/8), max(1, S·S/2))}. */
    public static int defaultMinRegionPixels(int seedSpacing) {
        long s2 = (long) seedSpacing * seedSpacing;
        return (int) Math.min(Math.max(16, s2 / 8), Math.max(1, s2 / 2));
    }

    /** The minimum region size used for an image of this size. */
    public int minRegionPixels(int width, int height) {
        return minRegionPixels == AUTO ? defaultMinRegionPixels(seedSpacingUsed(width, height, nominalRegions)) : minRegionPixels;
    }

    /**
     * Segments {@code image}.
     *
     * @throws InvalidInputException when the image is too small to give at least 2 regions (a single
     *                               pixel, or an image that the minimum region size merges into one region)
     */
    @Override
    public RegionSet segment(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int s = seedSpacingUsed(w, h, nominalRegions);
        int min = minRegionPixels(w, h);

        int[] clusters = new Slico(w, h, CieLab.planes(image), s).cluster();
        int[] labels = SmallRegionMerger.merge(w, h, clusters, min, (int) Math.min(Integer.MAX_VALUE, (long) s * s / 4));
        int n = 0;
        for (int v : labels) {
            n = Math.max(n, v + 1);
        }
        if (n < 2) {
            throw new InvalidInputException("the " + w + "x" + h + " image gives only 1 region (nominal "
                    + nominalRegions + " regions, seed spacing " + s + ", minimum region size " + min
                    + " pixels); at least 2 are needed");
        }
        return RegionSet.fromLabels(w, h, labels).withSegmentation(new Segmentation(name(), settingsFor(w, h)));
    }

    @Override
    public String name() {
        return "slic";
    }

    /**
     * {@code algorithm} ({@value #ALGORITHM}), {@code colourSpace}, {@code nominalRegions},
     * {@code iterations}, {@code connectivity}, {@code minRegionPixels} (the configured value, or
     * {@code "auto"}). The values derived for an image are {@link #settingsFor}'s, carried by the image's
     * {@link RegionSet#segmentation()}.
     */
    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", ALGORITHM);
        m.put("colourSpace", "CIELAB");
        m.put("nominalRegions", nominalRegions);
        m.put("iterations", Slico.ITERATIONS);
        m.put("connectivity", 4);
        m.put("minRegionPixels", minRegionPixels == AUTO ? "auto" : minRegionPixels);
        return Collections.unmodifiableMap(m);
    }

    /**
     * The settings {@link #segment} uses on an image of this size, without segmenting it: {@link #settings()} plus
     * {@code imageWidth}, {@code imageHeight}, {@code regionsUsed}, {@code seedSpacing}, {@code seedColumns},
     * {@code seedRows}, and {@code minRegionPixels} as used.
     */
    public Map<String, Object> settingsFor(int width, int height) {
        int s = seedSpacingUsed(width, height, nominalRegions);
        Map<String, Object> m = new LinkedHashMap<>(settings());
        m.put("imageWidth", width);
        m.put("imageHeight", height);
        m.put("regionsUsed", Math.min(nominalRegions, maxRegions(width, height)));
        m.put("seedSpacing", s);
        m.put("seedColumns", Slico.strips(width, s));
        m.put("seedRows", Slico.strips(height, s));
        m.put("minRegionPixels", minRegionPixels(width, height));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "SlicSegmenter[nominalRegions=" + nominalRegions + ", minRegionPixels="
                + (minRegionPixels == AUTO ? "auto" : Integer.toString(minRegionPixels)) + "]";
    }
}
