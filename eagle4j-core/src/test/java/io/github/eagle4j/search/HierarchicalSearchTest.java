package io.github.eagle4j.search;

import io.github.eagle4j.ProgressListener;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HierarchicalSearchTest {
    /** Three frames of four regions each (ids 0-3, 4-7, 8-11); only frame 1 matters, region 6 most. */
    private static final double[] WEIGHTS = {0, 0, 0, 0, 0.05, 0.1, 0.5, 0.2, 0.01, 0, 0, 0};
    private static final int[] FRAME_OF = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};

    @Test
    void ordersTheImportantFrameFirstThenSearchesInsideIt() {
        FunctionScorer scorer = FunctionScorer.additive(WEIGHTS);
        SearchTrace t = new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, FRAME_OF, 1).search(scorer, Examples.equalAreas(12), ProgressListener.NONE);
        int[] order = t.order();
        assertThat(Arrays.copyOf(order, 4)).containsExactly(6, 7, 5, 4);
        // then region 8's 0.01 (frame 2); the rest are worth nothing and interleave by the ties' rule, lower id first,
        // each frame's regions keeping their ranking (by id here)
        assertThat(Arrays.copyOfRange(order, 4, 12)).containsExactly(8, 0, 1, 2, 3, 9, 10, 11);
        // curves measured on the whole canvas along the final order
        assertThat(t.steps().get(0).insertionProbs()[0]).isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.steps().get(3).insertionProbs()[0]).isEqualTo(0.85, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.steps().get(11).deletionProbs()[0]).isEqualTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.fullImageProbs()[0]).isEqualTo(0.86, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.imagesScored()).isEqualTo(scorer.images());
    }

    @Test
    void ranksTheRegionsOfTheFramesItDidNotSearchByTheirOwnScoresInContextAndInterleavesTheFrames() {
        // frame 1 matters most; frames 0 and 2 matter a little, their regions not in id order
        double[] weights = {0.02, 0, 0.08, 0.01, 0.25, 0.06, 0.3, 0.04, 0, 0.03, 0, 0.2};
        FunctionScorer scorer = FunctionScorer.additive(weights);
        SearchTrace t = new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, FRAME_OF, 1).search(scorer, Examples.equalAreas(12), ProgressListener.NONE);
        // frame order 1, 2 (0.23), 0 (0.11); lists 6 4 5 7 | 11 9 8 10 | 2 0 3 1 (by weight, ties by id), merged by
        // weight: each list keeps its order, region 11 (0.2) comes before frame 1's 5 and 7
        assertThat(t.order()).containsExactly(6, 4, 11, 2, 5, 7, 9, 0, 3, 1, 8, 10);
        // the region-alone images of the tail keep the frames ranked before theirs: frame 1 for frame 2's,
        // frames 1 and 2 for frame 0's, and their deletion images are the complements
        List<BitSet> tail = scorer.batches().stream().filter(b -> b.size() == 16).findFirst().orElseThrow();
        assertThat(tail.get(0)).isEqualTo(bits(4, 5, 6, 7, 8));
        assertThat(tail.get(1)).isEqualTo(bits(0, 1, 2, 3, 9, 10, 11));
        assertThat(tail.get(8)).isEqualTo(bits(0, 4, 5, 6, 7, 8, 9, 10, 11));
    }

    private static BitSet bits(int... ids) {
        BitSet b = new BitSet();
        for (int i : ids) {
            b.set(i);
        }
        return b;
    }

    @Test
    void theDeletionSideReachesIntoAFrameRankedLower() {
        // the answer stays while region 6 (frame 1) or region 1 (frame 0) is visible; region 6 adds more on its own
        FunctionScorer scorer = new FunctionScorer(12, 1, s -> new double[] {
                0.5 * FunctionScorer.in(s, 6) + 0.4 * Math.max(FunctionScorer.in(s, 6), FunctionScorer.in(s, 1))});
        SearchTrace t = new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, FRAME_OF, 1).search(scorer, Examples.equalAreas(12), ProgressListener.NONE);
        // frame 1 is searched; frame 0's region 1 comes second, not after frame 1's three regions that add nothing
        assertThat(Arrays.copyOf(t.order(), 2)).containsExactly(6, 1);
        assertThat(t.steps().get(1).deletionProbs()[0]).isEqualTo(0.0);
        assertThat(t.steps().get(1).insertionProbs()[0]).isEqualTo(0.9, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void scoresFarFewerImagesThanTheFlatSearch() {
        FunctionScorer flatScorer = FunctionScorer.additive(WEIGHTS);
        SearchTrace flat = new FullGreedySearch(Objective.DEFAULT).search(flatScorer, Examples.equalAreas(12), ProgressListener.NONE);
        FunctionScorer hScorer = FunctionScorer.additive(WEIGHTS);
        SearchTrace h = new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, FRAME_OF, 1).search(hScorer, Examples.equalAreas(12), ProgressListener.NONE);
        // full greedy: N(N+1) = 156; hierarchical, each distinct image once: frames 3·4 = 12 less the 4 of step 2
        // (seen in step 1), regions 4·5 = 20 less 2 (the whole frame and the blank image, seen), the other frames'
        // regions alone 2·8 = 16, the interleaving 37 (up to 3 heads, 2 images each, less those seen before)
        assertThat(flat.imagesScored()).isEqualTo(156);
        assertThat(h.imagesScored()).isEqualTo(8 + 18 + 16 + 37).isEqualTo(hScorer.images());
        assertThat(Arrays.copyOf(h.order(), 4)).containsExactly(Arrays.copyOf(flat.order(), 4));
    }

    @Test
    void hidesTheFramesItDidNotPickWhileSearchingInsideTheTopOnes() {
        FunctionScorer scorer = FunctionScorer.additive(WEIGHTS);
        new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, FRAME_OF, 2).search(scorer, Examples.equalAreas(12), ProgressListener.NONE);
        var batches = scorer.batches();
        int partial = 0;
        // the unsearched frame's regions alone: frames 1 and 2 kept, and one region of frame 0
        int alone = 0;
        while (!batches.get(alone).get(0).equals(bits(0, 4, 5, 6, 7, 8, 9, 10, 11))) {
            alone++;
        }
        // before them: whole frames (frame level) or sets inside the top frames 1 and 2 (region level)
        for (var batch : batches.subList(0, alone)) {
            for (BitSet b : batch) {
                boolean wholeFrames = true;
                for (int f = 0; f < 3; f++) {
                    int c = b.get(4 * f, 4 * f + 4).cardinality();
                    wholeFrames &= c == 0 || c == 4;
                }
                if (!wholeFrames) {
                    partial++;
                    assertThat(b.get(0, 4).isEmpty()).as(b.toString()).isTrue();
                }
            }
        }
        assertThat(partial).isPositive();
        assertThat(batches.get(alone)).hasSize(8);
    }

    @Test
    void refusesOneFrameAndBadTopCounts() {
        assertThatThrownBy(() -> new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, new int[] {0, 0, 0}, 1)).hasMessageContaining("at least 2 frames");
        assertThatThrownBy(() -> new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, FRAME_OF, 4)).hasMessageContaining("top frames must be in 1..3");
    }
}
