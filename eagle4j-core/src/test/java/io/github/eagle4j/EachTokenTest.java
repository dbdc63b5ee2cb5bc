package io.github.eagle4j;

import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --each-token}: one search per target over shared images, next to the joint search. */
class EachTokenTest {
    /** Two tokens on the 3×2 cells: token "red" rests on cells 0 and 1, token "square" on cells 4 and 5. */
    static final class TwoTokenScorer implements TokenScorer {
        long images;
        final ScoringTask task = new ScoringTask("q", "red square", List.of("red", "square"),
                List.of(new Target(0, "red", 1), new Target(1, "square", 2)));
        final double[][] weights = {{0.40, 0.30, 0.02, 0.01, 0.03, 0.04}, {0.02, 0.03, 0.01, 0.04, 0.35, 0.25}};

        @Override
        public ScoringTask task() {
            return task;
        }

        @Override
        public double[][] score(List<RgbImage> batch) {
            images += batch.size();
            double[][] out = new double[batch.size()][2];
            for (int i = 0; i < batch.size(); i++) {
                for (int t = 0; t < 2; t++) {
                    double p = 0.1;
                    for (int cell = 0; cell < 6; cell++) {
                        if (batch.get(i).rgb((cell % 3) * 4, (cell / 3) * 4) != 0) {
                            p += weights[t][cell];
                        }
                    }
                    out[i][t] = Math.min(1, p);
                }
            }
            return out;
        }
    }

    @Test
    void everyTokenGetsItsOwnOrderAndImagesAreScoredOnce() {
        TwoTokenScorer scorer = new TwoTokenScorer();
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).eachToken(true).build();
        Explanation e = new Explainer(options).explain(ExplainerTest.cells(), scorer);

        assertThat(e.perToken()).hasSize(2);
        TokenExplanation red = e.perToken().get(0);
        TokenExplanation square = e.perToken().get(1);
        assertThat(red.target().token()).isEqualTo("red");
        assertThat(red.order()[0]).isEqualTo(0);
        assertThat(red.order()[1]).isEqualTo(1);
        assertThat(square.order()[0]).isEqualTo(4);
        assertThat(square.order()[1]).isEqualTo(5);
        assertThat(red.regionScores()[0]).isEqualTo(1.0);
        assertThat(square.regionScores()[4]).isEqualTo(1.0);
        assertThat(red.exactness()).isEqualTo(Exactness.EXACT);

        // every image the model saw is counted once; three full greedy searches of 42 images share many
        assertThat(e.cost().forwardPasses()).isEqualTo(scorer.images);
        assertThat(red.imagesAsked()).isEqualTo(42);
        assertThat(e.cost().forwardPasses()).isLessThan(3 * 42);
        assertThat(e.cost().forwardPasses()).isGreaterThan(42);

        // each token's order is the one full greedy gives it alone
        for (int t = 0; t < 2; t++) {
            int target = t;
            TwoTokenScorer alone = new TwoTokenScorer();
            TokenScorer single = new TokenScorer() {
                @Override
                public ScoringTask task() {
                    return new ScoringTask("q", "red square", List.of("red", "square"),
                            List.of(alone.task.targets().get(target)));
                }

                @Override
                public double[][] score(List<RgbImage> images) {
                    double[][] both = alone.score(images);
                    double[][] out = new double[both.length][];
                    for (int i = 0; i < both.length; i++) {
                        out[i] = new double[] {both[i][target]};
                    }
                    return out;
                }
            };
            Explanation solo = new Explainer(ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).build())
                    .explain(ExplainerTest.cells(), single);
            assertThat(e.perToken().get(t).order()).containsExactly(solo.curves().order());
            assertThat(e.perToken().get(t).insertionAuc()).isEqualTo(solo.metrics().insertionAuc());
        }
    }

    /** With the fast search and no budget, every token's search has a budget and all of them keep the total. */
    @Test
    void fastEachTokenKeepsItsDefaultTotal() {
        TwoTokenScorer scorer = new TwoTokenScorer();
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).eachToken(true)
                .search(SearchKind.FAST).build();
        Explanation e = new Explainer(options).explain(ExplainerTest.cells(), scorer);

        assertThat(e.cost().forwardPasses()).isEqualTo(scorer.images);
        // 2.5·N(N+1) = 105 for N = 6, or the joint search plus 4N per token when that is more
        assertThat(e.cost().forwardPasses()).isLessThanOrEqualTo(Math.max(105, 42 + 2 * 24));
        for (TokenExplanation t : e.perToken()) {
            assertThat(t.certificate().budget()).isPositive();
            assertThat(t.imagesAsked()).isLessThanOrEqualTo(t.certificate().budget());
            assertThat(t.order()).hasSize(6);
        }
        assertThat(e.perToken().get(0).order()[0]).isIn(0, 1);
        assertThat(e.perToken().get(1).order()[0]).isIn(4, 5);

        // with --budget there is no total: each search has the budget it was given
        Explanation budgeted = new Explainer(options.toBuilder().budget(60).build())
                .explain(ExplainerTest.cells(), new TwoTokenScorer());
        assertThat(budgeted.perToken()).allSatisfy(t -> assertThat(t.certificate().budget()).isEqualTo(60));
    }

    @Test
    void withoutEachTokenThereAreNoPerTokenMaps() {
        Explanation e = new Explainer(ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).build())
                .explain(ExplainerTest.cells(), new TwoTokenScorer());
        assertThat(e.perToken()).isEmpty();
        assertThat(e.cost().forwardPasses()).isEqualTo(42);
    }
}
