package io.github.eagle4j.video;

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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Reads a video as a model samples it (docs/frames.md). A video file is decoded ({@link VideoDecoder}) and sampled by
 * the model's {@link VideoSampling}: its processor's default rate or count, or the count or rate asked for. A folder
 * holds the frames themselves (PNG or JPEG, taken in file-name order): all of them, as transformers takes a list of
 * frames, or a count of them spread evenly; a rate is then the frames' own rate (default {@link #DEFAULT_FOLDER_FPS}),
 * which sets their timestamps and Qwen2.5-VL's temporal positions.
 *
 * <p>Bad input is an {@link InvalidInputException} naming the input: {@link VideoDecoder#VIDEO} (the file or folder),
 * {@link VideoSampling#FRAMES} (the count) or {@link VideoSampling#FPS} (the rate).
 */
public final class VideoReader {
    /** transformers' frame rate for frames given without one ({@code VideoMetadata.sampled_fps}). */
    public static final double DEFAULT_FOLDER_FPS = 24;

    private VideoReader() {
    }

    /**
     * Reads the frames a model with {@code sampling} takes from {@code path}.
     *
     * @param frames a frame count asked for, or null
     * @param fps    a rate asked for, or null (for a folder: the frames' own rate)
     * @throws InvalidInputException one line: a missing or empty folder, an unreadable video, frames the sampling
     *                               cannot give or the model cannot take
     */
    public static SampledVideo read(Path path, VideoSampling sampling, Integer frames, Double fps) {
        if (frames != null && fps != null) {
            throw InvalidInputException.forInput(VideoSampling.FRAMES, " and a frame rate cannot be given together");
        }
        if (Files.isDirectory(path)) {
            return folder(path, sampling, frames, fps);
        }
        VideoDecoder video = VideoDecoder.open(path);
        int total = video.totalFrames();
        double sourceFps = video.fps();
        int[] indices = sampling.indices(total, sourceFps, frames, fps);
        List<RgbImage> images = video.frames(indices);
        return new SampledVideo(images, clip(images, indices, total, sourceFps), name(path), "file", total, sourceFps);
    }

    private static SampledVideo folder(Path dir, VideoSampling sampling, Integer frames, Double fps) {
        List<Path> files = frameFiles(dir);
        if (files.isEmpty()) {
            throw InvalidInputException.forInput(VideoDecoder.VIDEO, " " + dir + ": the folder holds no frames (PNG or JPEG files)");
        }
        if (fps != null && !(fps > 0 && fps < 1e6)) {
            throw InvalidInputException.forInput(VideoSampling.FPS, " must be positive, got " + fps);
        }
        double sourceFps = fps != null ? fps : DEFAULT_FOLDER_FPS;
        int total = files.size();
        int[] indices;
        if (frames != null) {
            indices = sampling.indices(total, sourceFps, frames, null);
        } else {
            if (total > sampling.maxFrames()) {
                throw InvalidInputException.forInput(VideoDecoder.VIDEO, String.format(Locale.ROOT,
                        " %s: the folder holds %d frames but the model takes at most %d (max_frames of its video processor);"
                                + " ask for a frame count to take that many of them", dir, total, sampling.maxFrames()));
            }
            indices = IntStream.range(0, total).toArray();
        }
        List<RgbImage> images = new ArrayList<>(indices.length);
        for (int i : indices) {
            images.add(ImageFiles.read(files.get(i)));
        }
        return new SampledVideo(images, clip(images, indices, total, sourceFps), name(dir), "folder", total, sourceFps);
    }

    /**
     * The folder's PNG and JPEG files, by name: the frames of a video given as a folder.
     *
     * @throws InvalidInputException when the folder cannot be listed
     */
    public static List<Path> frameFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw InvalidInputException.forInput(VideoDecoder.VIDEO, " " + dir + ": cannot list the folder (" + e.getMessage() + ")", e);
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

    private static String name(Path path) {
        return path.getFileName() == null ? path.toString() : path.getFileName().toString();
    }
}
