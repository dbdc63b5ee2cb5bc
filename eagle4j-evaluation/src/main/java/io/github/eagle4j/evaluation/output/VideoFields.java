package io.github.eagle4j.evaluation.output;

import io.github.eagle4j.video.SampledVideo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the output files say of a video whose sampled frames were explained (docs/frames.md): each frame's timestamp
 * and source frame number, and where the frames came from ({@code frames.video} of explanation.json and result.json).
 */
public final class VideoFields {
    private VideoFields() {
    }

    /** The {@code video} field: source, sourceKind, sourceFrames, sourceFps and sampledFps. */
    public static Map<String, Object> of(SampledVideo video) {
        Map<String, Object> m = new LinkedHashMap<>(video.sourceFields());
        m.put("sampledFps", video.clip().sampledFps());
        return m;
    }

    /** Adds each frame's {@code timestamp} and {@code sourceIndex} to the {@code frames} field's images, and {@code video}. */
    @SuppressWarnings("unchecked")
    static void addTo(Map<String, Object> frames, SampledVideo video) {
        List<Map<String, Object>> images = (List<Map<String, Object>>) frames.get("images");
        int[] source = video.clip().sourceIndices();
        for (int k = 0; k < images.size(); k++) {
            images.get(k).put("timestamp", video.clip().timestamp(k));
            images.get(k).put("sourceIndex", source[k]);
        }
        frames.put("video", of(video));
    }
}
