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

/**
 * The bundled model has 256 positions ({@code max_position_embeddings}): a longer conversation is refused before
 * anything runs, naming its length and the limit, instead of being run past the positions the model was trained on.
 */
class ContextLengthTest {
    static final String ANSWER = "a red circle .";
    private static OnnxModel model;

    @BeforeAll
    static void open() {
        model = OnnxModel.open(Goldens.main().modelDir, OnnxSettings.defaults().withParallel(1));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** A prompt of {@code words} "the" tokens. */
    static String prompt(int words) {
        return "Describe" + " the".repeat(words) + " image .";
    }

    static int length(String prompt) {
        return model.encode(prompt, ANSWER).fullIds().length;
    }

    @Test
    void theLimitComesFromTheConfig() {
        assertThat(model.maxPositions()).isEqualTo(256);
    }

    @Test
    void aConversationOneTokenTooLongIsRefusedNamingItsLengthAndTheLimit() {
        int base = length(prompt(0));
        String fits = prompt(256 - base);
        assertThat(length(fits)).isEqualTo(256);
        // the longest conversation that fits is scored
        try (TokenScorer s = model.scorer(fits, ANSWER, List.of(0))) {
            assertThat(s.score(List.of(RgbImage.filled(64, 64, 0)))[0][0]).isBetween(0.0, 1.0);
        }
        // 320 tokens: a prompt that fits, and an answer of 4-token sentences that runs past the limit
        int k = 0;
        while ((319 - promptLength(prompt(k))) % 4 != 0) {
            k++;
        }
        String longAnswer = (ANSWER + " ").repeat((319 - promptLength(prompt(k))) / 4).strip();
        String fitting = prompt(k);
        assertThatThrownBy(() -> model.answerTokens(fitting, longAnswer)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("320 tokens").hasMessageContaining("at most 256 positions")
                .hasMessageContaining("max_position_embeddings").hasMessageContaining("64 image tokens");
        assertThatThrownBy(() -> model.scorer(fitting, longAnswer, List.of(0))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("320 tokens");
        // a prompt that alone fills the positions
        assertThatThrownBy(() -> model.answerTokens(prompt(256 - base + 64), ANSWER)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("leaves no room for an answer").hasMessageContaining("at most 256 positions");
    }

    static int promptLength(String prompt) {
        return model.encode(prompt, ANSWER).promptIds().length;
    }

    @Test
    void aHugePromptIsRefusedBeforeTheModelRuns() {
        String huge = "Describe the image . ".repeat(5200);
        assertThatThrownBy(() -> model.generate(RgbImage.filled(64, 64, 0), huge, 8)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 256 positions");
        assertThatThrownBy(() -> model.answerTokens(huge, ANSWER)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 256 positions");
    }

    @Test
    void generationStopsWhereThePositionsEnd() {
        int promptLength = model.encode(prompt(0), ANSWER).promptIds().length;
        String nearlyFull = prompt(256 - promptLength - 2);
        var g = model.generate(RgbImage.filled(64, 64, 0), nearlyFull, 24);
        assertThat(g.tokens()).hasSizeLessThanOrEqualTo(3);
    }
}
