package io.github.eagle4j.cli;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.JointExplainer;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.metrics.PointingGame;
import io.github.eagle4j.onnx.OnnxModel;
import io.github.eagle4j.regions.GridSegmenter;
import io.github.eagle4j.text.JointExplanation;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.TextMask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The joint search's image regions point at the object a "yes" answer rests on, on the bundled model (docs/text.md,
 * "Region and span scores of the joint search"): four scenes of the dev seeds, a 4×4 grid, both text masks. Before
 * the regions were scored with the prompt intact, a decisive word placed first left the regions after it ordered by
 * noise.
 */
class JointPointingTest {
    static OnnxModel model;

    @BeforeAll
    static void open() {
        model = OnnxModel.open(TextRegionsExplainTest.MODEL);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @ParameterizedTest
    @EnumSource(TextMask.class)
    void jointRegionsHitTheObject(TextMask mask) {
        for (long seed : new long[] {8000, 8002, 8004, 8006}) {
            ShapeScene scene = ShapeScene.render(seed);
            TextRegionsMeasurement.Question q = TextRegionsMeasurement.question(scene);
            ShapeScene.SceneObject object = scene.objects().stream()
                    .filter(o -> o.colour().equals(q.colour()) && o.shape().equals(q.shape())).findFirst().orElseThrow();
            VisionLanguageModel.Generation g = model.generate(scene.image(), q.prompt(), 4);
            assertThat(g.text()).as("seed %d", seed).startsWith("yes");
            RegionSet regions = new GridSegmenter(4, 4).segment(scene.image());
            try (TokenScorer scorer = model.scorer(q.prompt(), g, List.of(0))) {
                JointExplanation e = new JointExplainer(ExplainOptions.defaults(), SpanMode.WORDS, mask)
                        .explain(scene.image(), regions, scorer, ProgressListener.NONE);
                assertThat(PointingGame.hits(regions, e.regionScores(), null, object.mask()).get("mask"))
                        .as("seed %d: %s", seed, q.prompt()).isTrue();
                double top = 0;
                for (double s : e.spanScores()) {
                    top = Math.max(top, s);
                }
                assertThat(top).isEqualTo(1.0);
            }
        }
    }
}
