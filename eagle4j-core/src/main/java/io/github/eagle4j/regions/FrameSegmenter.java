package io.github.eagle4j.regions;

import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Segmenter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Divides a canvas of several frames ({@link FrameLayout}) frame by frame with another segmenter, so that no region
 * crosses from one image into the next. Region ids are global: frame 0's regions come first (ids {@code 0..n0-1}),
 * then frame 1's, and so on, each frame's in its segmenter's order. Padding pixels carry no region.
 */
public final class FrameSegmenter implements Segmenter {
    private final FrameLayout layout;
    private final Segmenter perFrame;

    /**
     * @param layout   the frames on the canvas this segmenter will get
     * @param perFrame how each frame is divided (e.g. SLIC or a grid, with its own region count per frame)
     */
    public FrameSegmenter(FrameLayout layout, Segmenter perFrame) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.perFrame = Objects.requireNonNull(perFrame, "perFrame");
    }

    /** The segmenter applied to each frame. */
    public Segmenter perFrame() {
        return perFrame;
    }

    @Override
    public RegionSet segment(RgbImage canvas) {
        List<RegionSet> parts = new ArrayList<>(layout.count());
        List<Object> perImage = new ArrayList<>();
        for (int k = 0; k < layout.count(); k++) {
            RegionSet r = perFrame.segment(layout.frameImage(canvas, k));
            parts.add(r);
            perImage.add(r.segmentation().map(io.github.eagle4j.Segmentation::settings).orElse(perFrame.settings()));
        }
        Map<String, Object> settings = settings();
        settings.put("perImageSettings", perImage);
        return combine(layout, parts).withSegmentation(new io.github.eagle4j.Segmentation(name(), settings));
    }

    /**
     * One region set over the canvas from one per frame: frame k's region r gets id {@code r + (regions of frames
     * before k)}.
     *
     * @throws IllegalArgumentException when the count or a size differs from the layout
     */
    public static RegionSet combine(FrameLayout layout, List<RegionSet> frames) {
        if (frames.size() != layout.count()) {
            throw new IllegalArgumentException(frames.size() + " label maps for " + layout.count() + " frames");
        }
        int w = layout.canvasWidth();
        int[] labels = new int[Math.multiplyExact(w, layout.canvasHeight())];
        java.util.Arrays.fill(labels, RegionSet.UNLABELLED);
        int offset = 0;
        for (int k = 0; k < frames.size(); k++) {
            FrameLayout.Frame f = layout.frame(k);
            RegionSet r = frames.get(k);
            if (r.width() != f.width() || r.height() != f.height()) {
                throw new IllegalArgumentException("the label map of frame " + k + " is " + r.width() + "x" + r.height()
                        + " but the frame is " + f.width() + "x" + f.height());
            }
            paint(labels, w, f, r, offset);
            offset += r.regionCount();
        }
        return RegionSet.fromLabels(w, layout.canvasHeight(), labels);
    }

    /** Writes {@code r}'s labels, shifted by {@code offset}, into frame {@code f}'s place on the canvas's label map. */
    static void paint(int[] canvasLabels, int canvasWidth, FrameLayout.Frame f, RegionSet r, int offset) {
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                int v = r.label(x, y);
                canvasLabels[y * canvasWidth + f.x() + x] = v == RegionSet.UNLABELLED ? v : v + offset;
            }
        }
    }

    /**
     * Frame {@code k}'s labels in the frame's own coordinates and ids {@code 0..n-1} (global ids shifted down by the
     * smallest id of the frame; the ids of one frame are contiguous in sets made by {@link #combine}), for writing
     * one label map per frame. A frame may have fewer than two regions here, so the labels are returned raw.
     */
    public static int[] frameLabels(FrameLayout layout, RegionSet canvasRegions, int k) {
        FrameLayout.Frame f = layout.frame(k);
        int[] out = new int[f.width() * f.height()];
        int min = Integer.MAX_VALUE;
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                int v = canvasRegions.label(f.x() + x, y);
                out[y * f.width() + x] = v;
                if (v != RegionSet.UNLABELLED) {
                    min = Math.min(min, v);
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] != RegionSet.UNLABELLED) {
                out[i] -= min;
            }
        }
        return out;
    }

    @Override
    public String name() {
        return perFrame.name();
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>(perFrame.settings());
        s.put("frames", layout.count());
        s.put("perFrame", true);
        return s;
    }

    @Override
    public String toString() {
        return "FrameSegmenter[" + layout.count() + " frames, " + perFrame + "]";
    }
}
