package io.github.eagle4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Several images (the images of one prompt, or the frames of a video) placed side by side on one canvas, so that the
 * method's single-image machinery (regions, masking, searches, maps) works on all of them at once (docs/frames.md).
 *
 * <p>Frame k occupies columns {@code x(k) .. x(k)+width(k)-1} and rows {@code 0 .. height(k)-1} of the canvas; frames
 * follow each other left to right in prompt order with no gap. The canvas is as high as the highest frame; the pixels
 * below a lower frame belong to no frame ({@link #frameAt} is −1) and carry no region, so masking never touches them
 * and a scorer never sees them: it cuts the canvas back into frames ({@link #split}) before preprocessing.
 *
 * @param frames the frames' rectangles on the canvas, in order
 */
public record FrameLayout(List<Frame> frames) {
    /**
     * One frame's rectangle on the canvas.
     *
     * @param x      first canvas column
     * @param width  width in pixels (the image's own)
     * @param height height in pixels (the image's own); the frame starts at canvas row 0
     */
    public record Frame(int x, int width, int height) {
    }

    /**
     * @throws IllegalArgumentException when there is no frame, or frames overlap or leave gaps
     */
    public FrameLayout {
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("at least one frame is needed");
        }
        int x = 0;
        for (Frame f : frames) {
            if (f.x() != x || f.width() < 1 || f.height() < 1) {
                throw new IllegalArgumentException("frame " + f + " does not follow at column " + x);
            }
            x += f.width();
        }
    }

    /** The layout of {@code images} side by side, in order. */
    public static FrameLayout of(List<RgbImage> images) {
        List<Frame> frames = new ArrayList<>(images.size());
        int x = 0;
        for (RgbImage img : images) {
            frames.add(new Frame(x, img.width(), img.height()));
            x = Math.addExact(x, img.width());
        }
        return new FrameLayout(frames);
    }

    /** The layout of one image: the canvas is the image. */
    public static FrameLayout single(int width, int height) {
        return new FrameLayout(List.of(new Frame(0, width, height)));
    }

    /** Number of frames. */
    public int count() {
        return frames.size();
    }

    /** Frame {@code k}. */
    public Frame frame(int k) {
        return frames.get(k);
    }

    /** Canvas width: the frames' widths summed. */
    public int canvasWidth() {
        Frame last = frames.get(frames.size() - 1);
        return last.x() + last.width();
    }

    /** Canvas height: the highest frame's. */
    public int canvasHeight() {
        return frames.stream().mapToInt(Frame::height).max().orElseThrow();
    }

    /** The frame that holds canvas pixel (x, y), or −1 for padding below a lower frame. */
    public int frameAt(int x, int y) {
        for (int k = 0; k < frames.size(); k++) {
            Frame f = frames.get(k);
            if (x >= f.x() && x < f.x() + f.width()) {
                return y < f.height() ? k : -1;
            }
        }
        throw new IllegalArgumentException("column " + x + " is outside the canvas (width " + canvasWidth() + ")");
    }

    /**
     * The canvas of {@code images} (one per frame, each of its frame's size); padding pixels are black.
     *
     * @throws IllegalArgumentException when the count or a size differs from the layout
     */
    public RgbImage compose(List<RgbImage> images) {
        if (images.size() != frames.size()) {
            throw new IllegalArgumentException(images.size() + " images for a layout of " + frames.size() + " frames");
        }
        int w = canvasWidth();
        int[] px = new int[Math.multiplyExact(w, canvasHeight())];
        for (int k = 0; k < frames.size(); k++) {
            Frame f = frames.get(k);
            RgbImage img = images.get(k);
            if (img.width() != f.width() || img.height() != f.height()) {
                throw new IllegalArgumentException("image " + k + " is " + img.width() + "x" + img.height() + " but its frame is "
                        + f.width() + "x" + f.height());
            }
            for (int y = 0; y < f.height(); y++) {
                img.copyPixels(y * f.width(), px, y * w + f.x(), f.width());
            }
        }
        return RgbImage.adopt(w, canvasHeight(), px);
    }

    /** Frame {@code k} cut out of a canvas of this layout. */
    public RgbImage frameImage(RgbImage canvas, int k) {
        checkCanvas(canvas.width(), canvas.height());
        Frame f = frames.get(k);
        int[] px = new int[f.width() * f.height()];
        for (int y = 0; y < f.height(); y++) {
            canvas.copyPixels(y * canvas.width() + f.x(), px, y * f.width(), f.width());
        }
        return RgbImage.adopt(f.width(), f.height(), px);
    }

    /** Every frame cut out of a canvas of this layout, in order. */
    public List<RgbImage> split(RgbImage canvas) {
        List<RgbImage> out = new ArrayList<>(frames.size());
        for (int k = 0; k < frames.size(); k++) {
            out.add(frameImage(canvas, k));
        }
        return out;
    }

    /**
     * The frame each region lies in, indexed by region id.
     *
     * @throws IllegalArgumentException when the regions are not of the canvas's size, a region spans two frames or
     *                                  covers padding
     */
    public int[] frameOfRegions(RegionSet regions) {
        checkCanvas(regions.width(), regions.height());
        int[] out = new int[regions.regionCount()];
        Arrays.fill(out, -1);
        for (int y = 0; y < regions.height(); y++) {
            for (int x = 0; x < regions.width(); x++) {
                int r = regions.label(x, y);
                if (r == RegionSet.UNLABELLED) {
                    continue;
                }
                int k = frameAt(x, y);
                if (k < 0) {
                    throw new IllegalArgumentException("region " + r + " covers padding below frame at column " + x);
                }
                if (out[r] >= 0 && out[r] != k) {
                    throw new IllegalArgumentException("region " + r + " spans frames " + out[r] + " and " + k);
                }
                out[r] = k;
            }
        }
        return out;
    }

    /** The frames' sizes as {@code WxH}, for messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FrameLayout[");
        for (int k = 0; k < frames.size(); k++) {
            sb.append(k == 0 ? "" : ", ").append(frames.get(k).width()).append('x').append(frames.get(k).height());
        }
        return sb.append(']').toString();
    }

    private void checkCanvas(int width, int height) {
        if (width != canvasWidth() || height != canvasHeight()) {
            throw new IllegalArgumentException("a canvas of " + width + "x" + height + " for a layout of " + canvasWidth() + "x"
                    + canvasHeight());
        }
    }
}
