package io.github.eagle4j.cli;

import io.github.eagle4j.VisionLanguageModel;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * What the model looks at: {@code --image} (once or more) or {@code --video} with its sampling options. One class so
 * that every command that takes frames declares them alike: a command's input group extends it, and picocli lists
 * these options first in that group's section.
 */
class FrameOptions {
    @Option(names = "--image", required = true, paramLabel = "IMG",
            description = "Image file (PNG, JPEG). Repeat for several images in one prompt, in order (docs/frames.md).")
    List<Path> images;

    @Option(names = "--video", paramLabel = "FILE|DIR",
            description = "A video (H.264 in MP4/MOV) or a folder of frames (PNG, JPEG, in name order) instead of "
                    + "--image: the frames the model's video processor samples, as one video (Qwen2-VL, Qwen2.5-VL, "
                    + "in-process or served by vLLM; docs/frames.md).")
    Path video;

    @Option(names = "--video-fps", paramLabel = "F",
            description = "With --video FILE: frames per second to sample (default: the model's video processor's; "
                    + "through vLLM 2, 4 to 32 frames). "
                    + "With a folder: the frames' own rate (default 24).")
    Double videoFps;

    @Option(names = "--video-frames", paramLabel = "N",
            description = "With --video: take N frames spread evenly (rounded to the model's temporal patch).")
    Integer videoFrames;

    /** Whether the frames come from a video, which is sampled as the model samples it (so the model opens first). */
    boolean isVideo() {
        return video != null;
    }

    /** Checks everything that needs no model; see {@link VideoFrames#check}. */
    void check() {
        VideoFrames.check(video, images, videoFrames, videoFps);
    }

    /** A command's work given the model opened for a video, or null. */
    interface VideoModelTask {
        Integer run(VisionLanguageModel early) throws Exception;
    }

    /**
     * Runs {@code task} with the model opened first when the frames come from a video (they are sampled as the model
     * samples them), else with null; the early model is closed when the task fails, and otherwise belongs to it.
     */
    Integer runOpeningForVideo(ModelOptions model, VideoModelTask task) throws Exception {
        VisionLanguageModel early = isVideo() ? Models.open(model) : null;
        try {
            return task.run(early);
        } catch (RuntimeException ex) {
            if (early != null) {
                early.close();
            }
            throw ex;
        }
    }

    /** The images as given, when there is no video. */
    FrameInput readImages() {
        return FrameInput.read(images);
    }

    /** The frames {@code vlm} takes: the video sampled as its processor samples it, or else the images. */
    FrameInput read(VisionLanguageModel vlm) {
        return isVideo() ? VideoFrames.read(vlm, video, videoFrames, videoFps) : readImages();
    }
}
