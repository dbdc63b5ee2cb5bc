package io.github.eagle4j.regions;

import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemporalPairSegmenterTest {
    @Test
    void eachRegionIsOnePlaceInBothFramesOfItsPairAndALastOddFrameIsAloneUnderItsOwnIds() {
        List<RgbImage> frames = List.of(RgbImage.filled(4, 4, 0xff0000), RgbImage.filled(4, 4, 0x00ff00),
                RgbImage.filled(4, 4, 0x0000ff));
        FrameLayout layout = FrameLayout.of(frames);
        RegionSet r = new TemporalPairSegmenter(layout, new GridSegmenter(2, 2), 2).segment(layout.compose(frames));
        // frames 0 and 1 share ids 0..3, frame 2 has 4..7
        assertThat(r.regionCount()).isEqualTo(8);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertThat(r.label(4 + x, y)).isEqualTo(r.label(x, y));
                assertThat(r.label(8 + x, y)).isEqualTo(r.label(x, y) + 4);
            }
        }
        assertThat(r.label(0, 0)).isZero();
        assertThat(r.segmentation().orElseThrow().settings()).containsEntry("temporalGroup", 2).containsEntry("frames", 3);
        // such regions cross frames, which a per-frame layout refuses to map
        assertThatThrownBy(() -> layout.frameOfRegions(r)).hasMessageContaining("spans frames 0 and 1");
    }

    @Test
    void removingARegionBlacksItsPlaceInBothFramesOfThePairAndNowhereElse() {
        List<RgbImage> frames = List.of(RgbImage.filled(4, 4, 0xff0000), RgbImage.filled(4, 4, 0x00ff00),
                RgbImage.filled(4, 4, 0x0000ff), RgbImage.filled(4, 4, 0xffffff));
        FrameLayout layout = FrameLayout.of(frames);
        RgbImage canvas = layout.compose(frames);
        RegionSet r = new TemporalPairSegmenter(layout, new GridSegmenter(2, 2), 2).segment(canvas);
        java.util.BitSet kept = new java.util.BitSet();
        kept.set(1, r.regionCount());
        RgbImage masked = new io.github.eagle4j.masking.Masker(canvas, r, io.github.eagle4j.Fill.BLACK, layout).keep(kept);
        // region 0 is the top-left cell of frames 0 and 1: black in both, the same cell of frames 2 and 3 untouched
        assertThat(masked.rgb(0, 0) & 0xffffff).isZero();
        assertThat(masked.rgb(4, 0) & 0xffffff).isZero();
        assertThat(masked.rgb(8, 0) & 0xffffff).isEqualTo(0x0000ff);
        assertThat(masked.rgb(12, 0) & 0xffffff).isEqualTo(0xffffff);
        assertThat(masked.rgb(2, 2) & 0xffffff).isEqualTo(0xff0000);
        assertThat(masked.rgb(6, 2) & 0xffffff).isEqualTo(0x00ff00);
    }

    @Test
    void refusesFramesOfDifferentSizesAndGroupsOfOne() {
        FrameLayout mixed = FrameLayout.of(List.of(RgbImage.filled(4, 4, 0), RgbImage.filled(6, 4, 0)));
        assertThatThrownBy(() -> new TemporalPairSegmenter(mixed, new GridSegmenter(2, 2), 2))
                .hasMessageContaining("one size: frame 0 is 4x4, frame 1 is 6x4");
        FrameLayout two = FrameLayout.of(List.of(RgbImage.filled(4, 4, 0), RgbImage.filled(4, 4, 0)));
        assertThatThrownBy(() -> new TemporalPairSegmenter(two, new GridSegmenter(2, 2), 1)).hasMessageContaining("at least 2");
    }
}
