package io.github.eagle4j.report;

import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

/** The overlay's colours: the heat keeps its hue whatever the object's colour under it. */
class MapRendererTest {
    @Test
    void theMostImportantRegionReadsRedEvenOverAGreenObject() {
        int w = 40;
        int h = 20;
        int[] labels = new int[w * h];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i % w) < 20 ? 0 : 1;
        }
        RegionSet regions = RegionSet.fromLabels(w, h, labels);
        RgbImage green = RgbImage.filled(w, h, 0x2E9E4F);
        BufferedImage out = MapRenderer.overlay(green, regions, new double[] {1.0, 0.0}, null);
        int hot = out.getRGB(5, 5) & 0xFFFFFF;
        int cold = out.getRGB(out.getWidth() - 5, 5) & 0xFFFFFF;
        int hr = hot >> 16 & 255;
        int hg = hot >> 8 & 255;
        int hb = hot & 255;
        assertThat(hr).as("red dominates the hot region").isGreaterThan(hg + 60).isGreaterThan(hb + 60);
        int cb = cold & 255;
        assertThat(cb).as("blue dominates the cold region").isGreaterThan((cold >> 8 & 255) + 30).isGreaterThan((cold >> 16 & 255) + 30);
    }

    @Test
    void greyIsTheLuma() {
        assertThat(MapRenderer.grey(0xFFFFFF)).isEqualTo(0xFFFFFF);
        assertThat(MapRenderer.grey(0x000000)).isZero();
        assertThat(MapRenderer.grey(0xFF0000)).isEqualTo(0x4C4C4C);
    }
}
