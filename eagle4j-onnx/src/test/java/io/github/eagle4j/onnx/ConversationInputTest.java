package io.github.eagle4j.onnx;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TokenScorer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad prompts, answers, targets and images are InvalidInputExceptions with a clear message. */
class ConversationInputTest {
    private static OnnxModel model;

    @BeforeAll
    static void open() {
        model = OnnxModel.open(Goldens.main().modelDir, OnnxSettings.defaults().withParallel(1));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void emptyPrompt() {
        for (String p : List.of("", "   ")) {
            assertThatThrownBy(() -> model.answerTokens(p, "yes")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("prompt is empty");
            assertThatThrownBy(() -> model.generate(RgbImage.filled(8, 8, 0), p, 4)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("prompt is empty");
        }
    }

    @Test
    void answerWithoutTokens() {
        for (String a : List.of("", "  \n ")) {
            assertThatThrownBy(() -> model.answerTokens("Describe the image.", a)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("has no tokens");
        }
    }

    @Test
    void placeholderInThePrompt() {
        assertThatThrownBy(() -> model.answerTokens("<image> twice", "yes")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("<image>");
    }

    @Test
    void answerTokensEndWithTheEndOfTurnToken() {
        var tokens = model.answerTokens("Is there a red circle?", "yes");
        assertThat(tokens).extracting(t -> t.text()).containsExactly("yes", "</s>");
        assertThat(tokens.get(1).id()).isEqualTo(2);
    }

    @Test
    void targetsOutsideTheAnswer() {
        assertThatThrownBy(() -> model.scorer("Is there a red circle?", "yes", List.of(2))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("target index 2");
        assertThatThrownBy(() -> model.scorer("Is there a red circle?", "yes", List.of(0, 0))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void imagesTheProcessorCannotTake() {
        try (TokenScorer s = model.scorer("Is there a red circle?", "yes", List.of(0, 1))) {
            assertThatThrownBy(() -> s.score(List.of(RgbImage.filled(64, 64, 0), RgbImage.filled(1000, 1, 0))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("1000x1");
            assertThatThrownBy(() -> model.generate(RgbImage.filled(1, 200, 0), "Describe the image.", 2))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("1x200");
            double[][] tiny = s.score(List.of(RgbImage.filled(1, 1, 0xFF0000), RgbImage.filled(3, 90, 0x00FF00)));
            assertThat(java.util.Arrays.stream(tiny[0]).boxed().toList()).allSatisfy(p -> assertThat(p).isBetween(0.0, 1.0));
            assertThat(s.score(List.of())).isEmpty();
        }
    }

    @Test
    void scorerDescribesTheBackend() {
        try (TokenScorer s = model.scorer("Is there a red circle?", "yes", List.of(0))) {
            assertThat(s.description().backend()).isEqualTo("onnx");
            assertThat(s.description().precision()).isEqualTo("fp32 cpu");
            assertThat(s.description().approximate()).isFalse();
            assertThat(s.task().targets()).hasSize(1);
            assertThat(s.maxBatchSize()).isEqualTo(8);
        }
    }

    @Test
    void tokenizerNeverTruncates() {
        assertThat(model.tokenizer().truncation()).isEqualTo("DO_NOT_TRUNCATE");
        String longText = "red ".repeat(1500);
        assertThat(model.tokenizer().encode(longText).ids()).hasSize(1500);
    }
}
