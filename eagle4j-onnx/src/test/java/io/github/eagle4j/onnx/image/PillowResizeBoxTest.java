package io.github.eagle4j.onnx.image;

import io.github.eagle4j.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PillowResize#resizeBox} equals resizing the whole image and cropping, pixel for pixel. */
class PillowResizeBoxTest {
    /** {width, height, outWidth, outHeight}: downscales, upscales, mixed, unchanged axes, thin images. */
    static final int[][] SIZES = {
            {640, 480, 85, 64}, {480, 640, 64, 85}, {128, 128, 64, 64}, {37, 23, 100, 62}, {23, 37, 64, 102},
            {300, 20, 64, 41}, {50, 50, 50, 50}, {64, 200, 64, 33}, {97, 31, 13, 31}, {1, 9, 5, 3}};

    @Test
    void aBoxOfTheResizeEqualsTheCroppedWholeResize() {
        Random random = new Random(7);
        for (int[] s : SIZES) {
            RgbImage image = randomImage(random, s[0], s[1]);
            for (PillowResize.Filter filter : PillowResize.Filter.values()) {
                int[][] whole = PillowResize.resize(PillowResize.planes(image), s[0], s[1], s[2], s[3], filter);
                for (int trial = 0; trial < 6; trial++) {
                    int bw = trial == 0 ? s[2] : 1 + random.nextInt(s[2]);
                    int bh = trial == 0 ? s[3] : 1 + random.nextInt(s[3]);
                    PillowResize.Box box = new PillowResize.Box(random.nextInt(s[2] - bw + 1), random.nextInt(s[3] - bh + 1), bw, bh);
                    int[][] got = PillowResize.resizeBox(image, s[2], s[3], box, filter);
                    assertThat(got).as("%s %s %s", java.util.Arrays.toString(s), filter, box).isDeepEqualTo(crop(whole, s[2], box));
                }
            }
        }
    }

    static int[][] crop(int[][] planes, int width, PillowResize.Box box) {
        int[][] out = new int[planes.length][box.width() * box.height()];
        for (int c = 0; c < planes.length; c++) {
            for (int y = 0; y < box.height(); y++) {
                System.arraycopy(planes[c], (box.top() + y) * width + box.left(), out[c], y * box.width(), box.width());
            }
        }
        return out;
    }

    /** Random pixels with runs of black and of saturated colours, which exercise the clipping at 0 and 255. */
    static RgbImage randomImage(Random random, int width, int height) {
        int[] px = new int[width * height];
        for (int i = 0; i < px.length; i++) {
            int kind = random.nextInt(8);
            px[i] = kind == 0 ? 0 : kind == 1 ? 0xFFFFFF : kind == 2 ? 0xFF00FF : random.nextInt(1 << 24);
        }
        return RgbImage.of(width, height, px);
    }
}
