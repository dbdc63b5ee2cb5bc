package io.github.eagle4j;

import java.util.Locale;
import java.util.Optional;

/**
 * How a model's video processor picks frames from a video (docs/frames.md), with its defaults from the model's files:
 * transformers' {@code Qwen2VLVideoProcessor.sample_frames}. A frame count is rounded to a multiple of
 * {@code temporalPatchSize}; a rate gives {@code total / sourceFps × fps} frames, clamped into
 * {@code [minFrames, min(maxFrames, total)]} and floored to that multiple; the frames are then taken at
 * {@code floor(i × total / n)}. Without sampling ({@code doSample} false and no count or rate asked for) every frame is
 * taken.
 *
 * @param doSample          whether the processor samples frames by default ({@code do_sample_frames})
 * @param fps               default frames per second to sample ({@code fps}), if any
 * @param numFrames         default frame count ({@code num_frames}), if any; wins over {@code fps}
 * @param temporalPatchSize frames per temporal patch (frame counts are multiples of it)
 * @param minFrames         fewest frames a rate may give ({@code min_frames})
 * @param maxFrames         most frames the model takes ({@code max_frames})
 */
public record VideoSampling(boolean doSample, Double fps, Integer numFrames, int temporalPatchSize, int minFrames, int maxFrames) {
    /** The API name of a frame count asked for, in {@link InvalidInputException#input()}. */
    public static final String FRAMES = "frames";
    /** The API name of a frame rate asked for, in {@link InvalidInputException#input()}. */
    public static final String FPS = "fps";

    public VideoSampling {
        if (temporalPatchSize < 1 || minFrames < 0 || maxFrames < 1) {
            throw new IllegalArgumentException("temporalPatchSize " + temporalPatchSize + ", minFrames " + minFrames + ", maxFrames "
                    + maxFrames);
        }
    }

    /** The default rate, if any. */
    public Optional<Double> defaultFps() {
        return Optional.ofNullable(fps);
    }

    /**
     * The source frames to take, in order.
     *
     * @param total     frames in the source
     * @param sourceFps the source's frames per second
     * @param frames    a frame count asked for (e.g. {@code --video-frames}), or null
     * @param rate      a rate asked for (e.g. {@code --video-fps}), or null
     * @throws InvalidInputException when both are asked for, the source is empty, the count exceeds the source's
     *                               frames or {@link #maxFrames()}, or sampling gives no frame
     */
    public int[] indices(int total, double sourceFps, Integer frames, Double rate) {
        if (frames != null && rate != null) {
            throw InvalidInputException.forInput(FRAMES, " and a frame rate cannot be given together");
        }
        if (total < 1) {
            throw new InvalidInputException("the video has no frames");
        }
        Integer n = frames;
        Double f = rate;
        if (n == null && f == null && doSample) {
            n = numFrames;
            f = numFrames == null ? fps : null;
        }
        int count;
        if (n != null) {
            if (n < 1) {
                throw InvalidInputException.forInput(FRAMES, " must be at least 1, got " + n);
            }
            // Python round(): half to even
            count = (int) Math.rint((double) n / temporalPatchSize) * temporalPatchSize;
        } else if (f != null) {
            if (!(f > 0) || !(sourceFps > 0)) {
                throw InvalidInputException.forInput(FPS, " must be positive, got " + f + " (source " + sourceFps + " fps)");
            }
            int most = Math.min(maxFrames, total) / temporalPatchSize * temporalPatchSize;
            double want = total / sourceFps * f;
            want = Math.min(Math.min(Math.max(want, minFrames), most), total);
            count = (int) Math.floor(want / temporalPatchSize) * temporalPatchSize;
        } else {
            count = total;
        }
        if (count < 1) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "sampling leaves no frame: %d source frames at %.3f fps give fewer than one temporal patch of %d frames",
                    total, sourceFps, temporalPatchSize));
        }
        if (count > total) {
            throw new InvalidInputException("cannot sample " + count + " frames from a video of " + total + " frames");
        }
        if (count > maxFrames) {
            throw new InvalidInputException("the model takes at most " + maxFrames + " video frames (max_frames of its video processor), got "
                    + count);
        }
        int[] out = new int[count];
        // torch.arange(0, total, total / n).int(): computed in double, stored as float32, truncated
        double step = (double) total / count;
        for (int i = 0; i < count; i++) {
            out[i] = (int) (float) (i * step);
        }
        return out;
    }
}
