package io.github.eagle4j.cli;

import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.VideoSampling;
import io.github.eagle4j.imageio.ImageFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code --video FILE|DIR} read as the model samples it (docs/frames.md). A video file is decoded ({@link VideoDecoder})
 * and sampled by the model's {@link VideoSampling}: its processor's default rate or count, or {@code --video-fps} /
 * {@code --video-frames}. A folder holds the frames themselves (PNG or JPEG, taken in file-name order): all of them, as
 * transformers takes a list of frames, or {@code --video-frames N} of them spread evenly; {@code --video-fps} is then
 * the frames' own rate (default 24, transformers' rate for frames that come without one), which sets their timestamps
 * and Qwen2.5-VL's temporal positions.
 */
final class VideoFrames {
    /** transformers' frame rate for frames given without one ({@code VideoMetadata.sampled_fps}). */
    static final double DEFAULT_FOLDER_FPS = 24;

    private VideoFrames() {
    }

    /**
     * Reads the frames {@code vlm} takes from {@code path}, sampled as its video processor samples them.
     *
     * @throws InvalidInputException when the model takes no video, or as {@link #read}
     */
    static FrameInput read(io.github.eagle4j.VisionLanguageModel vlm, Path path, Integer frames, Double fps) {
        VideoSampling sampling = vlm.videoSampling().orElseThrow(() -> new InvalidInputException("--video: model "
                + vlm.description().model() + " (" + vlm.description().backend() + " backend) takes no video; Qwen2-VL and "
                + "Qwen2.5-VL models do (docs/frames.md)"));
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
     * Reads the frames the model takes from {@code path}.
     *
     * @param frames {@code --video-frames}, or null
     * @param fps    {@code --video-fps}, or null
     * @throws InvalidInputException one line: a missing or empty folder, an unreadable video, frames the sampling
     *                               cannot give or the model cannot take
     */
    static FrameInput read(Path path, VideoSampling sampling, Integer frames, Double fps) {
        if (Files.isDirectory(path)) {
            return folder(path, sampling, frames, fps);
        }
        VideoDecoder video = VideoDecoder.open(path);
        int total = video.totalFrames();
        double sourceFps = video.fps();
        int[] indices = indices(sampling, total, sourceFps, frames, fps);
        List<RgbImage> images = video.frames(indices);
        Map<String, Object> info = info(path, "file", total, sourceFps);
        return FrameInput.ofVideo(images, clip(images, indices, total, sourceFps), info);
    }

    private static FrameInput folder(Path dir, VideoSampling sampling, Integer frames, Double fps) {
        List<Path> files = frameFiles(dir);
        if (files.isEmpty()) {
            throw new InvalidInputException("--video " + dir + ": the folder holds no frames (PNG or JPEG files)");
        }
        if (fps != null && !(fps > 0 && fps < 1e6)) {
            throw new InvalidInputException("--video-fps must be positive, got " + fps);
        }
        double sourceFps = fps != null ? fps : DEFAULT_FOLDER_FPS;
        int total = files.size();
        int[] indices;
        if (frames != null) {
            indices = indices(sampling, total, sourceFps, frames, null);
        } else {
            if (total > sampling.maxFrames()) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "--video %s: the folder holds %d frames but the model takes at most %d (max_frames of its video processor);"
                                + " pass --video-frames N to take N of them", dir, total, sampling.maxFrames()));
            }
            indices = java.util.stream.IntStream.range(0, total).toArray();
        }
        List<RgbImage> images = new ArrayList<>(indices.length);
        for (int i : indices) {
            images.add(ImageFiles.read(files.get(i)));
        }
        Map<String, Object> info = info(dir, "folder", total, sourceFps);
        return FrameInput.ofVideo(images, clip(images, indices, total, sourceFps), info);
    }

    /** The sampled frames; a bad count or rate is named as its option. */
    private static int[] indices(VideoSampling sampling, int total, double sourceFps, Integer frames, Double fps) {
        try {
            return sampling.indices(total, sourceFps, frames, fps);
        } catch (InvalidInputException e) {
            if (e.input() == null) {
                throw e;
            }
            throw new InvalidInputException(e.describedAs(e.input().equals(VideoSampling.FPS) ? "--video-fps" : "--video-frames"), e);
        }
    }

    /** The folder's PNG and JPEG files, by name. */
    static List<Path> frameFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new InvalidInputException("--video " + dir + ": cannot list the folder (" + e.getMessage() + ")");
        }
    }

    private static VideoClip clip(List<RgbImage> images, int[] indices, int total, double sourceFps) {
        double[] timestamps = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            timestamps[i] = indices[i] / sourceFps;
        }
        // transformers' VideoMetadata.sampled_fps, in its order of operations
        double sampledFps = (double) indices.length / total * sourceFps;
        return new VideoClip(FrameLayout.of(images), indices, timestamps, sampledFps);
    }

    private static Map<String, Object> info(Path path, String kind, int total, double sourceFps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", path.getFileName() == null ? path.toString() : path.getFileName().toString());
        m.put("sourceKind", kind);
        m.put("sourceFrames", total);
        m.put("sourceFps", sourceFps);
        return m;
    }
}
