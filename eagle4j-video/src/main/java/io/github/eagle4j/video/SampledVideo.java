package io.github.eagle4j.video;

import io.github.eagle4j.RgbImage;
import io.github.eagle4j.VideoClip;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames a model takes from a video file or a folder of frames ({@link VideoReader}), with where they came from.
 *
 * @param frames       the sampled frames, in time order
 * @param clip         their layout on one canvas, source frame numbers, timestamps and sampled rate
 * @param source       the file or folder's name (without its folder)
 * @param sourceKind   {@code "file"} for a decoded video, {@code "folder"} for a folder of frames
 * @param sourceFrames frames in the source
 * @param sourceFps    the source's frames per second (a folder's is the rate it was read at)
 */
public record SampledVideo(List<RgbImage> frames, VideoClip clip, String source, String sourceKind, int sourceFrames,
                           double sourceFps) {
    public SampledVideo {
        frames = List.copyOf(frames);
        if (frames.size() != clip.count()) {
            throw new IllegalArgumentException(frames.size() + " frames but a clip of " + clip.count());
        }
    }

    /** Where the frames came from, as explanation.json's {@code frames.video} field starts. */
    public Map<String, Object> sourceFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("sourceKind", sourceKind);
        m.put("sourceFrames", sourceFrames);
        m.put("sourceFps", sourceFps);
        return m;
    }
}
