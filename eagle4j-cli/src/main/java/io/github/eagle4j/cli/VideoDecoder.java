package io.github.eagle4j.cli;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import org.jcodec.api.FrameGrab;
import org.jcodec.common.DemuxerTrackMeta;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.scale.ColorUtil;
import org.jcodec.scale.Transform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A video file decoded with JCodec (pure Java): MP4/MOV with H.264 video (docs/frames.md says which profiles work). It
 * reads the track's frame count and duration first, then decodes frames in order and keeps the ones asked for, so a
 * long video costs decoding time but only the kept frames' memory.
 */
final class VideoDecoder {
    private final Path file;
    private final int totalFrames;
    private final double fps;

    private VideoDecoder(Path file, int totalFrames, double fps) {
        this.file = file;
        this.totalFrames = totalFrames;
        this.fps = fps;
    }

    /**
     * Reads the video track's frame count and rate.
     *
     * @throws InvalidInputException one line naming the file when it is missing or JCodec cannot read it
     */
    static VideoDecoder open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("--video " + file + ": no such file or folder");
        }
        try (FileChannelWrapper ch = NIOUtils.readableChannel(file.toFile())) {
            FrameGrab grab = FrameGrab.createFrameGrab(ch);
            DemuxerTrackMeta meta = grab.getVideoTrack().getMeta();
            int total = meta.getTotalFrames();
            double duration = meta.getTotalDuration();
            if (total < 1 || !(duration > 0)) {
                throw new InvalidInputException("--video " + file + ": the video track has no frames");
            }
            return new VideoDecoder(file, total, total / duration);
        } catch (InvalidInputException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw cannotRead(file, e);
        }
    }

    /** Frames in the video track. */
    int totalFrames() {
        return totalFrames;
    }

    /** Frames per second: the frame count over the track's duration. */
    double fps() {
        return fps;
    }

    /**
     * The frames at {@code indices} (ascending), decoded in order from the start.
     *
     * @throws InvalidInputException when decoding fails or the video ends before the last index
     */
    List<RgbImage> frames(int[] indices) {
        List<RgbImage> out = new ArrayList<>(indices.length);
        try (FileChannelWrapper ch = NIOUtils.readableChannel(file.toFile())) {
            FrameGrab grab = FrameGrab.createFrameGrab(ch);
            int at = 0;
            for (int want : indices) {
                Picture p = null;
                while (at <= want) {
                    p = grab.getNativeFrame();
                    if (p == null) {
                        throw new InvalidInputException(String.format(Locale.ROOT,
                                "--video %s: the video ends after %d of its %d frames (truncated?)", file, at, totalFrames));
                    }
                    at++;
                }
                out.add(rgb(p));
            }
            return out;
        } catch (InvalidInputException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw cannotRead(file, e);
        }
    }

    /** A decoded picture as 8-bit RGB, cropped to its display size. */
    private static RgbImage rgb(Picture p) {
        Picture src = p;
        if (src.getColor() != ColorSpace.RGB) {
            Picture rgb = Picture.create(src.getWidth(), src.getHeight(), ColorSpace.RGB);
            Transform t = ColorUtil.getTransform(src.getColor(), ColorSpace.RGB);
            if (t == null) {
                throw new InvalidInputException("the decoded frames have colour space " + src.getColor() + ", which cannot be turned into RGB");
            }
            t.transform(src, rgb);
            rgb.setCrop(src.getCrop());
            src = rgb;
        }
        int w = src.getCroppedWidth();
        int h = src.getCroppedHeight();
        int x0 = src.getCrop() == null ? 0 : src.getCrop().getX();
        int y0 = src.getCrop() == null ? 0 : src.getCrop().getY();
        int stride = src.getPlaneWidth(0);
        byte[] data = src.getPlaneData(0);
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = ((y + y0) * stride + x + x0) * 3;
                // JCodec keeps 8-bit samples as signed bytes offset by 128
                int r = data[i] + 128;
                int g = data[i + 1] + 128;
                int b = data[i + 2] + 128;
                px[y * w + x] = (r << 16) | (g << 8) | b;
            }
        }
        return RgbImage.adopt(w, h, px);
    }

    private static InvalidInputException cannotRead(Path file, Throwable e) {
        String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage().strip();
        why = why.lines().findFirst().orElse(why);
        return new InvalidInputException("--video " + file + ": cannot decode the video (" + why
                + "); eagle reads H.264 video in MP4/MOV files, or a folder of PNG/JPEG frames");
    }
}
