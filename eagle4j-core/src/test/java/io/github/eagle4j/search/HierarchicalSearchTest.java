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
        // then frame 2 (it holds region 8's 0.01), then frame 0, each by id
        assertThat(Arrays.copyOfRange(order, 4, 12)).containsExactly(8, 9, 10, 11, 0, 1, 2, 3);
        // curves measured on the whole canvas along the final order
        assertThat(t.steps().get(0).insertionProbs()[0]).isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.steps().get(3).insertionProbs()[0]).isEqualTo(0.85, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.steps().get(11).deletionProbs()[0]).isEqualTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.fullImageProbs()[0]).isEqualTo(0.86, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(t.imagesScored()).isEqualTo(scorer.images());
    }

    @Test
    void ranksTheRegionsOfTheFramesItDidNotSearchByTheirOwnScoresInContext() {
        // frame 1 matters most; frames 0 and 2 matter a little, their regions not in id order
        double[] weights = {0.02, 0, 0.08, 0.01, 0.25, 0.06, 0.3, 0.04, 0, 0.03, 0, 0.2};
        FunctionScorer scorer = FunctionScorer.additive(weights);
        SearchTrace t = new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, FRAME_OF, 1).search(scorer, Examples.equalAreas(12), ProgressListener.NONE);
        // frame order 1, 2 (0.23), 0 (0.11); inside frames 2 and 0 by weight, ties by id
        assertThat(t.order()).containsExactly(6, 4, 5, 7, 11, 9, 8, 10, 2, 0, 3, 1);
        // the region-alone images of the tail keep the frames ranked before theirs: frame 1 for frame 2's,
        // frames 1 and 2 for frame 0's, and their deletion images are the complements
        List<BitSet> tail = scorer.batches().get(scorer.batches().size() - 2);
        assertThat(tail).hasSize(16);
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
    void scoresFarFewerImagesThanTheFlatSearch() {
        FunctionScorer flatScorer = FunctionScorer.additive(WEIGHTS);
        SearchTrace flat = new FullGreedySearch(Objective.DEFAULT).search(flatScorer, Examples.equalAreas(12), ProgressListener.NONE);
        FunctionScorer hScorer = FunctionScorer.additive(WEIGHTS);
        SearchTrace h = new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, FRAME_OF, 1).search(hScorer, Examples.equalAreas(12), ProgressListener.NONE);
        // full greedy: N(N+1) = 156; hierarchical: frames 3·4 = 12, regions 4·5 = 20, the other frames' regions
        // alone 2·8 = 16, curves 2·12 = 24
        assertThat(flat.imagesScored()).isEqualTo(156);
        assertThat(h.imagesScored()).isEqualTo(72);
        assertThat(Arrays.copyOf(h.order(), 4)).containsExactly(Arrays.copyOf(flat.order(), 4));
    }

    @Test
    void hidesTheFramesItDidNotPickWhileSearchingInsideTheTopOnes() {
        FunctionScorer scorer = FunctionScorer.additive(WEIGHTS);
        new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, FRAME_OF, 2).search(scorer, Examples.equalAreas(12), ProgressListener.NONE);
        var batches = scorer.batches();
        int partial = 0;
        // before the unsearched frame's regions alone and the final curves: whole frames (frame level) or sets inside
        // the top frames 1 and 2 (region level)
        for (var batch : batches.subList(0, batches.size() - 2)) {
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
        assertThat(batches.get(batches.size() - 2)).hasSize(8);
        assertThat(batches.get(batches.size() - 1)).hasSize(24);
    }

    @Test
    void refusesOneFrameAndBadTopCounts() {
        assertThatThrownBy(() -> new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, new int[] {0, 0, 0}, 1)).hasMessageContaining("at least 2 frames");
        assertThatThrownBy(() -> new HierarchicalSearch(new FullGreedySearch(Objective.DEFAULT), new FullGreedySearch(Objective.DEFAULT),
                Objective.DEFAULT, FRAME_OF, 4)).hasMessageContaining("top frames must be in 1..3");
    }
}
