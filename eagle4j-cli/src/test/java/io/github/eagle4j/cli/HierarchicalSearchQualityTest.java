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
 * The hierarchical search (images first, then regions inside the top image, the other image's regions ranked alone in
 * context, the two lists interleaved by the objective) against the flat full greedy search over both images' regions,
 * on two-image items of tiny-shapes-llava-pair (FramesGroundingTest's items, from other seeds). Also measured: the same
 * lists one image after the other (the order before the interleaving), to show what the interleaving buys.
 *
 * <p>Seeds (docs/frames.md): the interleaving was developed on items from seed 81,000 ({@code -Dframes.seed=81000});
 * the default, 91,000, is held out (90,000 and 80,000 measured the search before it). {@code -Dframes.regions=16} for
 * 16 SLIC regions per image, {@code -Dframes.items=N}.
 */
class HierarchicalSearchQualityTest {
    static final long FIRST_SEED = Long.getLong("frames.seed", 91_000);
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
            double[] oneAfterOther = new double[2];
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
                    OrderScore byImage = Baselines.score("one-after-other", oneAfterOther(h.curves().order(), frameOf),
                            new Masker(canvas, regions, options.fill()), scorer, options.sensitivityThreshold(), 0);
                    oneAfterOther[0] += byImage.insertionAuc();
                    oneAfterOther[1] += byImage.deletionAuc();
                }
            }
            int n = items.size();
            // kept in the surefire report, for the table in docs/frames.md
            System.out.printf(Locale.ROOT, "hierarchical quality, seeds from %d, %d items, SLIC %d per image (%.1f regions):%n"
                            + "  flat full greedy: %.1f images, insertion AUC %.4f, deletion AUC %.4f, top region in the right image %d%n"
                            + "  hierarchical: %.1f images, insertion AUC %.4f, deletion AUC %.4f, top region in the right image %d%n"
                            + "  hierarchical, one image after the other: insertion AUC %.4f, deletion AUC %.4f%n",
                    FIRST_SEED, n, REGIONS_PER_IMAGE, regionCount / n, flat[0] / n, flat[1] / n, flat[2] / n, rightImage[0],
                    hier[0] / n, hier[1] / n, hier[2] / n, rightImage[1], oneAfterOther[0] / n, oneAfterOther[1] / n);
            assertThat(hier[0]).isLessThan(flat[0] / 2);
            // interleaving must beat one image after the other on deletion, and stay close to the flat search
            assertThat(hier[2]).isLessThan(oneAfterOther[1]);
            assertThat(hier[1] / n).isGreaterThan(flat[1] / n - 0.05);
            assertThat(hier[2] / n).isLessThan(flat[2] / n + 0.05);
        } finally {
            FramesGroundingTest.close();
        }
    }

    private static void add(double[] sums, double images, double insertion, double deletion) {
        sums[0] += images;
        sums[1] += insertion;
        sums[2] += deletion;
    }

    /** The same order with each image's regions together, the images in the order of their first region. */
    static int[] oneAfterOther(int[] order, int[] frameOf) {
        int[] out = new int[order.length];
        int k = 0;
        boolean[] done = new boolean[order.length];
        for (int r : order) {
            if (!done[frameOf[r]]) {
                done[frameOf[r]] = true;
                for (int q : order) {
                    if (frameOf[q] == frameOf[r]) {
                        out[k++] = q;
                    }
                }
            }
        }
        return out;
    }
}
