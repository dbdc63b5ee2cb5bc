package io.github.eagle4j.video;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import org.jcodec.api.FrameGrab;
import org.jcodec.api.PictureWithMetadata;
import org.jcodec.common.DemuxerTrackMeta;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Picture;
import org.jcodec.scale.ColorUtil;
import org.jcodec.scale.Transform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A video file decoded with JCodec (pure Java): MP4/MOV with H.264 video (docs/frames.md says which profiles work). It
 * reads the track's packets first (their presentation times give the frame count, the rate and the display order),
 * then decodes and keeps the frames asked for, so a long video costs decoding time but only the kept frames' memory.
 * Frames are numbered in display order: with B-frames (H.264 Main and High as encoders write them) JCodec returns
 * pictures in decoding order, which the presentation times put back.
 *
 * <p>Bad input is an {@link InvalidInputException} for the input {@link #VIDEO}, whose message starts with the file.
 */
public final class VideoDecoder {
    /** The API name of the video file or folder, in {@link InvalidInputException#input()}. */
    public static final String VIDEO = "video";

    private final Path file;
    private final int totalFrames;
    private final double fps;
    /** The frames' presentation times in seconds, ascending: frame k is shown at {@code shown[k]}. */
    private final double[] shown;

    private VideoDecoder(Path file, double[] shown, double fps) {
        this.file = file;
        this.totalFrames = shown.length;
        this.fps = fps;
        this.shown = shown;
    }

    /**
     * Reads the video track's frame count and rate.
     *
     * @throws InvalidInputException one line naming the file when it is missing or JCodec cannot read it
     */
    public static VideoDecoder open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.forInput(VIDEO, " " + file + ": no such file or folder");
        }
        try (FileChannelWrapper ch = NIOUtils.readableChannel(file.toFile())) {
            FrameGrab grab = FrameGrab.createFrameGrab(ch);
            DemuxerTrackMeta meta = grab.getVideoTrack().getMeta();
            List<Double> pts = new ArrayList<>();
            for (Packet p = grab.getVideoTrack().nextFrame(); p != null; p = grab.getVideoTrack().nextFrame()) {
                pts.add(p.getPtsD());
            }
            double duration = meta.getTotalDuration();
            if (pts.isEmpty() || !(duration > 0)) {
                throw InvalidInputException.forInput(VIDEO, " " + file + ": the video track has no frames");
            }
            double[] shown = pts.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new VideoDecoder(file, shown, shown.length / duration);
        } catch (InvalidInputException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw cannotRead(file, e);
        }
    }

    /** Frames in the video track. */
    public int totalFrames() {
        return totalFrames;
    }

    /** Frames per second: the frame count over the track's duration. */
    public double fps() {
        return fps;
    }

    /**
     * The frames at {@code indices} (ascending), decoded in order from the start.
     *
     * @throws InvalidInputException when decoding fails or the video ends before the last index
     */
    public List<RgbImage> frames(int[] indices) {
        Map<Integer, Integer> wanted = new HashMap<>();
        for (int i = 0; i < indices.length; i++) {
            wanted.putIfAbsent(indices[i], i);
        }
        RgbImage[] out = new RgbImage[indices.length];
        int found = 0;
        int decoded = 0;
        try (FileChannelWrapper ch = NIOUtils.readableChannel(file.toFile())) {
            FrameGrab grab = FrameGrab.createFrameGrab(ch);
            while (found < wanted.size()) {
                PictureWithMetadata p = grab.getNativeFrameWithMetadata();
                if (p == null) {
                    throw InvalidInputException.forInput(VIDEO, String.format(Locale.ROOT,
                            " %s: the video ends after %d of its %d frames (truncated?)", file, decoded, totalFrames));
                }
                decoded++;
                Integer slot = wanted.get(displayIndex(p.getTimestamp()));
                if (slot != null && out[slot] == null) {
                    out[slot] = rgb(p.getPicture());
                    found++;
                }
            }
            List<RgbImage> list = new ArrayList<>(indices.length);
            for (int i = 0; i < indices.length; i++) {
                list.add(out[wanted.get(indices[i])]);
            }
            return list;
        } catch (InvalidInputException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw cannotRead(file, e);
        }
    }

    /** The display-order number of the frame shown at {@code seconds}: the nearest presentation time. */
    private int displayIndex(double seconds) {
        int i = Arrays.binarySearch(shown, seconds);
        if (i >= 0) {
            return i;
        }
        int above = -i - 1;
        if (above == 0) {
            return 0;
        }
        if (above == shown.length) {
            return shown.length - 1;
        }
        return seconds - shown[above - 1] <= shown[above] - seconds ? above - 1 : above;
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
        return InvalidInputException.forInput(VIDEO, " " + file + ": cannot decode the video (" + why
                + "); eagle reads H.264 video in MP4/MOV files, or a folder of PNG/JPEG frames", e);
    }
}
