package io.github.eagle4j.cli;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.VideoSampling;
import io.github.eagle4j.video.SampledVideo;
import io.github.eagle4j.video.VideoReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --video FILE|DIR} read as the model samples it (docs/frames.md) by the library's {@link VideoReader}:
 * {@code --video-frames} and {@code --video-fps} are its frame count and rate; its errors name these options.
 */
final class VideoFrames {
    private VideoFrames() {
    }

    /**
     * Reads the frames {@code vlm} takes from {@code path}, sampled as its video processor samples them.
     *
     * @throws InvalidInputException when the model takes no video, or as {@link #read}
     */
    static FrameInput read(io.github.eagle4j.VisionLanguageModel vlm, Path path, Integer frames, Double fps) {
        VideoSampling sampling = vlm.videoSampling().orElseThrow(() -> new InvalidInputException("--video: " + vlm.videoRefusal()
                .orElse("model " + vlm.description().model() + " (" + vlm.description().backend() + " backend) takes no video; Qwen2-VL"
                        + " and Qwen2.5-VL models do (docs/frames.md)")));
        return read(path, sampling, frames, fps);
    }

    /**
     * Checks the video options that need no model: {@code --video} and {@code --image} not together, the sampling
     * options only with {@code --video}, and the file or folder there.
     *
     * @throws InvalidInputException naming the option
     */
    static void check(Path video, List<Path> images, Integer frames, Double fps) {
        if (video == null) {
            if (frames != null || fps != null) {
                throw new InvalidInputException((frames != null ? "--video-frames" : "--video-fps") + " needs --video");
            }
            return;
        }
        if (images != null && !images.isEmpty()) {
            throw new InvalidInputException("--image and --video cannot be used together");
        }
        if (frames != null && fps != null) {
            throw new InvalidInputException("--video-frames and --video-fps cannot be used together");
        }
        if (!Files.exists(video)) {
            throw new InvalidInputException("--video " + video + ": no such file or folder");
        }
    }

    /**
     * Reads the frames the model takes from {@code path} ({@link VideoReader}), its errors named as the options.
     *
     * @param frames {@code --video-frames}, or null
     * @param fps    {@code --video-fps}, or null
     * @throws InvalidInputException one line: a missing or empty folder, an unreadable video, frames the sampling
     *                               cannot give or the model cannot take
     */
    static FrameInput read(Path path, VideoSampling sampling, Integer frames, Double fps) {
        SampledVideo video;
        try {
            // the library's hint names no option: a folder of too many frames is refused here first, naming it
            int total = frames == null && Files.isDirectory(path) ? VideoReader.frameFiles(path).size() : 0;
            if (total > sampling.maxFrames()) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "--video %s: the folder holds %d frames but the model takes at most %d (max_frames of its video processor);"
                                + " pass --video-frames N to take N of them", path, total, sampling.maxFrames()));
            }
            video = VideoReader.read(path, sampling, frames, fps);
        } catch (InvalidInputException e) {
            if (e.input() == null) {
                throw e;
            }
            throw new InvalidInputException(e.describedAs(option(e.input())), e);
        }
        return FrameInput.ofVideo(video.frames(), video.clip(), video.sourceFields());
    }

    /** The option of a {@link VideoReader} input. */
    private static String option(String input) {
        return switch (input) {
            case VideoSampling.FPS -> "--video-fps";
            case VideoSampling.FRAMES -> "--video-frames";
            default -> "--video";
        };
    }
}
