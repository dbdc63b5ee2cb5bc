package io.github.eagle4j;

import io.github.eagle4j.regions.FrameSegmenter;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameLayoutTest {
    private static RgbImage ramp(int w, int h, int seed) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 2654435761L + seed) % 0xFFFFFF > 0 ? (int) ((i * 2654435761L + seed) % 0xFFFFFF) : 1;
        }
        return RgbImage.of(w, h, px);
    }

    @Test
    void composesSideBySideAndSplitsBack() {
        RgbImage a = ramp(5, 4, 1);
        RgbImage b = ramp(3, 6, 2);
        FrameLayout layout = FrameLayout.of(List.of(a, b));
        assertThat(layout.canvasWidth()).isEqualTo(8);
        assertThat(layout.canvasHeight()).isEqualTo(6);
        RgbImage canvas = layout.compose(List.of(a, b));
        assertThat(layout.split(canvas)).containsExactly(a, b);
        assertThat(layout.frameAt(4, 3)).isZero();
        assertThat(layout.frameAt(4, 4)).isEqualTo(-1); // below the lower first frame: padding
        assertThat(layout.frameAt(5, 5)).isEqualTo(1);
        assertThat(canvas.rgb(0, 5)).isZero();
    }

    @Test
    void perFrameRegionsHaveGlobalIdsAndStayInTheirFrame() {
        RgbImage a = ramp(8, 4, 1);
        RgbImage b = ramp(4, 8, 2);
        FrameLayout layout = FrameLayout.of(List.of(a, b));
        RgbImage canvas = layout.compose(List.of(a, b));
        RegionSet regions = new FrameSegmenter(layout, new GridSegmenter(2, 2)).segment(canvas);
        assertThat(regions.regionCount()).isEqualTo(8);
        assertThat(layout.frameOfRegions(regions)).containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(regions.label(0, 0)).isZero();
        assertThat(regions.label(8, 0)).isEqualTo(4);
        assertThat(regions.label(0, 7)).isEqualTo(RegionSet.UNLABELLED);
        assertThat(regions.unlabelledPixelCount()).isEqualTo(32);
        // one label map per frame (local ids), combined again, is the same partition
        List<RegionSet> perFrame = List.of(
                RegionSet.fromLabels(8, 4, FrameSegmenter.frameLabels(layout, regions, 0)),
                RegionSet.fromLabels(4, 8, FrameSegmenter.frameLabels(layout, regions, 1)));
        assertThat(FrameSegmenter.combine(layout, perFrame)).isEqualTo(regions);
        // masking a cell blacks it in its frame only
        var masker = new io.github.eagle4j.masking.Masker(canvas, regions, Fill.BLACK);
        java.util.BitSet keep = new java.util.BitSet();
        keep.set(0, 8);
        keep.clear(4);
        List<RgbImage> frames = layout.split(masker.keep(keep));
        assertThat(frames.get(0)).isEqualTo(a);
        assertThat(frames.get(1).rgb(0, 0)).isZero();
        assertThat(frames.get(1).rgb(3, 7)).isEqualTo(b.rgb(3, 7));
    }

    @Test
    void refusesRegionsAcrossFramesAndWrongSizes() {
        RgbImage a = ramp(4, 4, 1);
        FrameLayout layout = FrameLayout.of(List.of(a, a));
        RegionSet across = new GridSegmenter(1, 2).segment(RgbImage.filled(8, 4, 0));
        assertThat(layout.frameOfRegions(across)).containsExactly(0, 1);
        RegionSet spanning = new GridSegmenter(2, 1).segment(RgbImage.filled(8, 4, 0));
        assertThatThrownBy(() -> layout.frameOfRegions(spanning)).hasMessageContaining("spans frames 0 and 1");
        assertThatThrownBy(() -> layout.compose(List.of(a))).hasMessageContaining("1 images for a layout of 2 frames");
        assertThatThrownBy(() -> layout.frameImage(a, 0)).hasMessageContaining("a canvas of 4x4 for a layout of 8x4");
    }
}
