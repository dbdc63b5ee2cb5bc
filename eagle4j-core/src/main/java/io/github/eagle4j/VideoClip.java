package io.github.eagle4j;

import java.util.Arrays;
import java.util.Locale;

/**
 * The frames of a video as a model receives them (docs/frames.md): their places on one canvas ({@link FrameLayout},
 * left to right in time order), where each came from in the source and when.
 *
 * @param frames        the sampled frames on the canvas, in time order
 * @param sourceIndices each frame's index in the source (the video's frame number, or the file's position in a
 *                      folder of frames)
 * @param timestamps    each frame's time in seconds from the start of the source
 * @param sampledFps    frames per second of the sampled frames ({@code sampled / total × source fps}, as transformers'
 *                      {@code VideoMetadata.sampled_fps}); Qwen2.5-VL spaces its temporal positions by it
 */
public record VideoClip(FrameLayout frames, int[] sourceIndices, double[] timestamps, double sampledFps) {
    /**
     * @throws IllegalArgumentException when the arrays do not have one entry per frame or the rate is not positive
     */
    public VideoClip {
        sourceIndices = sourceIndices.clone();
        timestamps = timestamps.clone();
        if (sourceIndices.length != frames.count() || timestamps.length != frames.count()) {
            throw new IllegalArgumentException(frames.count() + " frames but " + sourceIndices.length + " source indices and "
                    + timestamps.length + " timestamps");
        }
        if (!(sampledFps > 0) || Double.isInfinite(sampledFps)) {
            throw new IllegalArgumentException("sampledFps must be positive, got " + sampledFps);
        }
    }

    /** Number of frames. */
    public int count() {
        return frames.count();
    }

    @Override
    public int[] sourceIndices() {
        return sourceIndices.clone();
    }

    @Override
    public double[] timestamps() {
        return timestamps.clone();
    }

    /** Frame {@code k}'s time in seconds. */
    public double timestamp(int k) {
        return timestamps[k];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoClip v && v.frames.equals(frames) && Arrays.equals(v.sourceIndices, sourceIndices)
                && Arrays.equals(v.timestamps, timestamps) && v.sampledFps == sampledFps;
    }

    @Override
    public int hashCode() {
        return frames.hashCode() * 31 + Arrays.hashCode(sourceIndices);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "VideoClip[%d frames %s, %.3f fps sampled]", count(), frames, sampledFps);
    }
}
