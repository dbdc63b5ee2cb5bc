package io.github.eagle4j.regions;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GridSegmenterTest {

    @Test
    void boundariesAreFlooredFractionsAndIdsAreRowTimesColsPlusCol() {
        // W = 7, cols = 3: column starts floor(j*7/3) = 0, 2, 4, end 7; H = 5, rows = 2: row starts 0, 2, end 5
        RegionSet regions = new GridSegmenter(2, 3).segment(RgbImage.filled(7, 5, 0));
        assertThat(regions.regionCount()).isEqualTo(6);
        assertThat(regions.labels()).containsExactly(
                0, 0, 1, 1, 2, 2, 2,
                0, 0, 1, 1, 2, 2, 2,
                3, 3, 4, 4, 5, 5, 5,
                3, 3, 4, 4, 5, 5, 5,
                3, 3, 4, 4, 5, 5, 5);
    }

    @Test
    void fiveByFiveGridOnAFrame() {
        RegionSet regions = new GridSegmenter(5, 5).segment(RgbImage.filled(640, 480, 0));
        assertThat(regions.regionCount()).isEqualTo(25);
        assertThat(regions.label(127, 95)).isZero();
        assertThat(regions.label(128, 96)).isEqualTo(6);
        assertThat(regions.label(639, 479)).isEqualTo(24);
        assertThat(regions.pixelCount(7)).isEqualTo(128 * 96);
    }

    @Test
    void gridFinerThanTheImageIsRefused() {
        assertThatThrownBy(() -> new GridSegmenter(3, 2).segment(RgbImage.filled(4, 2, 0)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("3x2").hasMessageContaining("4x2");
        assertThat(new GridSegmenter(2, 4).segment(RgbImage.filled(4, 2, 0)).regionCount()).isEqualTo(8);
    }

    @Test
    void badGridsAreRefused() {
        assertThatThrownBy(() -> new GridSegmenter(0, 4)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new GridSegmenter(1, 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at least 2");
    }

    @Test
    void settings() {
        GridSegmenter grid = new GridSegmenter(5, 4);
        assertThat(grid.name()).isEqualTo("grid");
        assertThat(grid.settings()).containsEntry("rows", 5).containsEntry("cols", 4);
    }
}
