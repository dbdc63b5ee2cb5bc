package io.github.eagle4j.report;

import io.github.eagle4j.Explanation;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.imageio.LabelMaps;
import io.github.eagle4j.regions.FrameSegmenter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-image files of an explanation over several images (docs/frames.md), beside the canvas-wide ones that
 * {@link ExplanationWriter} writes (the canvas is the images side by side, so {@code overlay.png} and the report's
 * map already show the strip of images with the map on each): {@code regions/frame-K.png} (one label map per image,
 * the image's own ids 0..n-1, in the format of {@code --regions-file}) and {@code frames/overlay-K.png} (the map over
 * image K alone, on the same colour scale as the canvas map), K counted from 0 with two digits.
 */
public final class FrameFiles {
    /** Folder of the per-image label maps. */
    public static final String REGIONS_DIR = "regions";
    /** Folder of the per-image overlays. */
    public static final String FRAMES_DIR = "frames";

    private FrameFiles() {
    }

    /** The file name of image {@code k}'s label map or overlay, e.g. {@code frame-00.png}. */
    public static String name(String prefix, int k) {
        return String.format(java.util.Locale.ROOT, "%s-%02d.png", prefix, k);
    }

    /**
     * Writes the per-image files into {@code dir} and returns the {@code frames} JSON field that describes them: the
     * image count, each image's size, place on the canvas and region ids ({@code firstRegion}, {@code regionCount}),
     * and {@code regionFrames}, the image of every region id.
     *
     * @throws IllegalArgumentException when the explanation's regions do not fit the layout
     */
    public static Map<String, Object> write(Explanation e, FrameLayout frames, RgbImage canvas, Path dir, String caption) {
        RegionSet regions = e.regions();
        int[] frameOf = frames.frameOfRegions(regions);
        ExplanationWriter.createFolder(dir.resolve(REGIONS_DIR));
        ExplanationWriter.createFolder(dir.resolve(FRAMES_DIR));
        double[] scores = e.regionScores();
        List<Map<String, Object>> list = new ArrayList<>();
        for (int k = 0; k < frames.count(); k++) {
            FrameLayout.Frame f = frames.frame(k);
            int[] local = FrameSegmenter.frameLabels(frames, regions, k);
            int first = Integer.MAX_VALUE;
            int count = 0;
            for (int r = 0; r < frameOf.length; r++) {
                if (frameOf[r] == k) {
                    first = Math.min(first, r);
                    count++;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", k);
            m.put("width", f.width());
            m.put("height", f.height());
            m.put("x", f.x());
            m.put("firstRegion", count == 0 ? -1 : first);
            m.put("regionCount", count);
            boolean contiguous = true;
            for (int r = first; count > 0 && r < first + count; r++) {
                contiguous &= frameOf[r] == k;
            }
            // per-image files need the image's ids in one run (as FrameSegmenter makes them) and two regions
            if (count >= 2 && contiguous) {
                RegionSet own = RegionSet.fromLabels(f.width(), f.height(), local);
                LabelMaps.write(own, dir.resolve(REGIONS_DIR).resolve(name("frame", k)));
                double[] ownScores = new double[count];
                for (int r = 0; r < count; r++) {
                    ownScores[r] = scores[first + r];
                }
                ImageFiles.writePng(MapRenderer.overlay(frames.frameImage(canvas, k), own, ownScores, caption),
                        dir.resolve(FRAMES_DIR).resolve(name("overlay", k)));
                m.put("regionsFile", REGIONS_DIR + "/" + name("frame", k));
                m.put("overlay", FRAMES_DIR + "/" + name("overlay", k));
            }
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", frames.count());
        out.put("images", list);
        List<Integer> regionFrames = new ArrayList<>();
        for (int f : frameOf) {
            regionFrames.add(f);
        }
        out.put("regionFrames", regionFrames);
        return out;
    }
}
