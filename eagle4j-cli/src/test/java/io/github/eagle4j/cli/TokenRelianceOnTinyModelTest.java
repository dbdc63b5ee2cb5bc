package io.github.eagle4j.cli;

import io.github.eagle4j.metrics.RelianceLabel;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.metrics.TokenReliance;
import io.github.eagle4j.onnx.OnnxModelProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentence-level reliance (docs/method.md §9) on the bundled model: colour words need the image, punctuation
 * and the end-of-turn token come from the language prior. ("a" and "and" are not function words in this
 * world: they carry the number of objects, which only the image tells — on a black image the model says
 * "nothing ." — so they come out as perception too, which is what the model really does.)
 */
class TokenRelianceOnTinyModelTest {
    static final Set<String> COLOURS = Set.of("red", "green", "blue", "yellow");
    static final Set<String> PRIOR = Set.of(".", "</s>");

    @Test
    void colourWordsArePerceptionAndPunctuationIsLanguagePrior() {
        String prompt = "Describe the image.";
        ExplainOptions options = ExplainOptions.builder().regions(36).build();
        int colours = 0;
        int prior = 0;
        try (VisionLanguageModel model = new OnnxModelProvider().open(TinyModelGroundingTest.MODEL, Map.of())) {
            for (long seed = 200; seed < 205; seed++) {
                ShapeScene scene = ShapeScene.render(seed);
                String answer = scene.caption();
                List<Integer> all = TargetSelection.all(model.answerTokens(prompt, answer));
                Explanation e;
                try (TokenScorer scorer = model.scorer(prompt, answer, all)) {
                    e = new Explainer(options).explain(scene.image(), scorer);
                }
                for (TokenReliance r : e.metrics().tokenReliance()) {
                    String word = r.token().strip();
                    if (COLOURS.contains(word)) {
                        assertThat(r.label()).as("seed %d, %s: %s", seed, word, r).isEqualTo(RelianceLabel.PERCEPTION);
                        colours++;
                    } else if (PRIOR.contains(word)) {
                        assertThat(r.label()).as("seed %d, %s: %s", seed, word, r).isEqualTo(RelianceLabel.LANGUAGE_PRIOR);
                        prior++;
                    }
                }
            }
        }
        assertThat(colours).isGreaterThanOrEqualTo(5);
        assertThat(prior).isEqualTo(10);
    }
}
