package io.github.eagle4j.regions;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmallRegionMergerTest {

    @Test
    void mergesIntoTheNeighbourWithTheLongestBorder() {
        int[] labels = {
            0, 0, 0, 0,
            1, 2, 2, 1,
            1, 1, 1, 1};
        // the 2-pixel piece touches label 0 along 2 pixel pairs and label 1 along 4
        assertThat(SmallRegionMerger.merge(4, 3, labels, 3, 3)).containsExactly(
                0, 0, 0, 0,
                1, 1, 1, 1,
                1, 1, 1, 1);
    }

    @Test
    void borderTiesGoToTheLowerId() {
        int[] labels = {
            5, 5, 7, 7,
            5, 9, 7, 7,
            7, 7, 7, 7};
        // the single pixel touches both neighbours along 2 pixel pairs; region 0 (first pixel (0,0)) wins
        assertThat(SmallRegionMerger.merge(4, 3, labels, 2, 2)).containsExactly(
                0, 0, 1, 1,
                0, 0, 1, 1,
                1, 1, 1, 1);
    }

    @Test
    void disconnectedPiecesBecomeRegionsNumberedInRasterOrder() {
        int[] labels = {
            3, 3, 8, 3,
            3, 3, 8, 3,
            8, 8, 8, 8};
        assertThat(SmallRegionMerger.merge(4, 3, labels, 1, 1)).containsExactly(
                0, 0, 1, 2,
                0, 0, 1, 2,
                1, 1, 1, 1);
    }

    @Test
    void strayPiecesUseTheFragmentMinimum() {
        int[] labels = {
            0, 0, 0, 1,
            0, 0, 1, 1,
            1, 1, 1, 0};
        assertThat(SmallRegionMerger.merge(4, 3, labels, 1, 1)).containsExactly(
                0, 0, 0, 1,
                0, 0, 1, 1,
                1, 1, 1, 2);
        assertThat(SmallRegionMerger.merge(4, 3, labels, 1, 2)).containsExactly(
                0, 0, 0, 1,
                0, 0, 1, 1,
                1, 1, 1, 1);
    }

    @Test
    void smallRegionsMergeSmallestFirstAndGrowUntilLargeEnough() {
        int[] labels = {1, 2, 2, 3, 3, 3};
        // sizes 1, 2, 3 with minimum 3: {1} joins {2 2} (its only neighbour), which reaches 3 pixels
        assertThat(SmallRegionMerger.merge(6, 1, labels, 3, 3)).containsExactly(0, 0, 0, 1, 1, 1);
    }

    @Test
    void oneRegionLeftStopsMerging() {
        assertThat(SmallRegionMerger.merge(3, 1, new int[] {4, 5, 6}, 10, 10)).containsExactly(0, 0, 0);
    }
}
