package io.github.eagle4j.cli;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.evaluation.Baselines;
import io.github.eagle4j.evaluation.OrderScore;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.regions.FrameSegmenter;
import io.github.eagle4j.search.HierarchicalSearch;
import io.github.eagle4j.search.Objective;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hierarchical search (images first, then regions inside the top image, then the other image's regions ranked
 * alone in context) against the flat full greedy search over both images' regions, on two-image items of
 * tiny-shapes-llava-pair (FramesGroundingTest's items, from other seeds). Also measured: the same hierarchical order
 * with the other image's regions left in id order (the tail before it was ranked), to show what the ranking buys.
 *
 * <p>Seeds (docs/frames.md): the ranking was developed on items from seed 80,000 ({@code -Dframes.seed=80000}); the
 * default, 90,000, is held out. {@code -Dframes.regions=16} for 16 SLIC regions per image, {@code -Dframes.items=N}.
 */
class HierarchicalSearchQualityTest {
    static final long FIRST_SEED = Long.getLong("frames.seed", 90_000);
    static final int ITEMS = Integer.getInteger("frames.items", 20);
    static final int REGIONS_PER_IMAGE = Integer.getInteger("frames.regions", 8);

    @Test
    void theHierarchicalSearchScoresFarFewerImagesAndKeepsMostOfTheFlatSearchsInsertionAuc() {
        FramesGroundingTest.open();
        try {
            ExplainOptions options = ExplainOptions.builder().regions(REGIONS_PER_IMAGE).search(SearchKind.FULL).build();
            Objective objective = new Objective(options.lambda1(), options.lambda2());
            double[] flat = new double[3];
            double[] hier = new double[3];
            double[] idTail = new double[2];
            double regionCount = 0;
            int[] rightImage = new int[2];
            List<FramesGroundingTest.Item> items = FramesGroundingTest.items(FIRST_SEED, ITEMS);
            for (FramesGroundingTest.Item item : items) {
                List<RgbImage> images = List.of(item.first().image(), item.second().image());
                FrameLayout frames = FrameLayout.of(images);
                RgbImage canvas = frames.compose(images);
                RegionSet regions = new FrameSegmenter(frames, options.segmenter()).segment(canvas);
                int[] frameOf = frames.frameOfRegions(regions);
                regionCount += regions.regionCount();
                try (TokenScorer scorer = FramesGroundingTest.model.scorer(FramesGroundingTest.PROMPT, item.answer(),
                        List.of(item.target()), frames)) {
                    Explanation f = new Explainer(options).explain(canvas, regions, scorer, (a, b, c) -> { });
                    Explanation h = new Explainer(options)
                            .withSearch(s -> new HierarchicalSearch(s, s, objective, frameOf, 1))
                            .explain(canvas, regions, scorer, (a, b, c) -> { });
                    add(flat, f.cost().forwardPasses(), f.metrics().insertionAuc(), f.metrics().deletionAuc());
                    add(hier, h.cost().forwardPasses(), h.metrics().insertionAuc(), h.metrics().deletionAuc());
                    rightImage[0] += frameOf[f.curves().order()[0]] == item.image() ? 1 : 0;
                    rightImage[1] += frameOf[h.curves().order()[0]] == item.image() ? 1 : 0;
                    OrderScore byId = Baselines.score("id-tail", idTail(h.curves().order(), frameOf),
                            new Masker(canvas, regions, options.fill()), scorer, options.sensitivityThreshold(), 0);
                    idTail[0] += byId.insertionAuc();
                    idTail[1] += byId.deletionAuc();
                }
            }
            int n = items.size();
            // kept in the surefire report, for the table in docs/frames.md
            System.out.printf(Locale.ROOT, "hierarchical quality, seeds from %d, %d items, SLIC %d per image (%.1f regions):%n"
                            + "  flat full greedy: %.1f images, insertion AUC %.4f, deletion AUC %.4f, top region in the right image %d%n"
                            + "  hierarchical: %.1f images, insertion AUC %.4f, deletion AUC %.4f, top region in the right image %d%n"
                            + "  hierarchical, other image by id: insertion AUC %.4f, deletion AUC %.4f%n",
                    FIRST_SEED, n, REGIONS_PER_IMAGE, regionCount / n, flat[0] / n, flat[1] / n, flat[2] / n, rightImage[0],
                    hier[0] / n, hier[1] / n, hier[2] / n, rightImage[1], idTail[0] / n, idTail[1] / n);
            assertThat(hier[0]).isLessThan(flat[0] / 2);
            // the ranked tail must beat leaving it in id order, and stay close to the flat search
            assertThat(hier[1]).isGreaterThan(idTail[0]);
            assertThat(hier[1] / n).isGreaterThan(flat[1] / n - 0.05);
        } finally {
            FramesGroundingTest.close();
        }
    }

    private static void add(double[] sums, double images, double insertion, double deletion) {
        sums[0] += images;
        sums[1] += insertion;
        sums[2] += deletion;
    }

    /** The hierarchical order with the regions after the top image's put back frame by frame in id order. */
    static int[] idTail(int[] order, int[] frameOf) {
        int top = frameOf[order[0]];
        int[] out = new int[order.length];
        int k = 0;
        for (int r : order) {
            if (frameOf[r] == top) {
                out[k++] = r;
            }
        }
        for (int r = 0; r < frameOf.length; r++) {
            if (frameOf[r] != top) {
                out[k++] = r;
            }
        }
        return out;
    }
}
