package io.github.eagle4j.regions;

import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Segmentation;
import io.github.eagle4j.Segmenter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Divides the frames of a video in groups of {@code groupSize} consecutive frames (a Qwen-VL temporal patch: frames
 * 2j and 2j+1 reach the model through the same video tokens) so that one region is one place in every frame of its
 * group: the group's first frame is divided by another segmenter and every frame of the group gets the same label
 * map, under the same ids. Removing a region then removes that place from the whole temporal patch, instead of half
 * of it (docs/frames.md, "Masking a frame of a temporal pair"). Ids are global, group by group; a last group may
 * hold fewer frames. Regions therefore cross frames: per-frame label maps and overlays are not written for them.
 */
public final class TemporalPairSegmenter implements Segmenter {
    private final FrameLayout layout;
    private final Segmenter perGroup;
    private final int groupSize;

    /**
     * @param layout    the video's frames on the canvas this segmenter will get (one size, in time order)
     * @param perGroup  how each group's first frame is divided (e.g. SLIC or a grid)
     * @param groupSize frames per group, the model's temporal patch size (≥ 2)
     * @throws IllegalArgumentException when the group size is below 2 or the frames differ in size
     */
    public TemporalPairSegmenter(FrameLayout layout, Segmenter perGroup, int groupSize) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.perGroup = Objects.requireNonNull(perGroup, "perGroup");
        if (groupSize < 2) {
            throw new IllegalArgumentException("a temporal group needs at least 2 frames, got " + groupSize);
        }
        for (int k = 1; k < layout.count(); k++) {
            if (layout.frame(k).width() != layout.frame(0).width() || layout.frame(k).height() != layout.frame(0).height()) {
                throw new IllegalArgumentException("the frames of a temporal group must have one size: frame 0 is "
                        + layout.frame(0).width() + "x" + layout.frame(0).height() + ", frame " + k + " is "
                        + layout.frame(k).width() + "x" + layout.frame(k).height());
            }
        }
        this.groupSize = groupSize;
    }

    @Override
    public RegionSet segment(RgbImage canvas) {
        int w = layout.canvasWidth();
        int[] labels = new int[Math.multiplyExact(w, layout.canvasHeight())];
        Arrays.fill(labels, RegionSet.UNLABELLED);
        int offset = 0;
        for (int g = 0; g < layout.count(); g += groupSize) {
            RegionSet r = perGroup.segment(layout.frameImage(canvas, g));
            for (int k = g; k < Math.min(g + groupSize, layout.count()); k++) {
                FrameSegmenter.paint(labels, w, layout.frame(k), r, offset); // same ids in every frame of the group
            }
            offset += r.regionCount();
        }
        return RegionSet.fromLabels(w, layout.canvasHeight(), labels).withSegmentation(new Segmentation(name(), settings()));
    }

    @Override
    public String name() {
        return perGroup.name();
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>(perGroup.settings());
        s.put("frames", layout.count());
        s.put("temporalGroup", groupSize);
        return s;
    }

    @Override
    public String toString() {
        return "TemporalPairSegmenter[" + layout.count() + " frames in groups of " + groupSize + ", " + perGroup + "]";
    }
}
