package io.github.eagle4j;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Target selection's bad input names the API input ({@code targetIndices}, {@code targetWord}), not an option of
 * one front end; a front end renames it with {@link InvalidInputException#describedAs(String)}.
 */
class TargetSelectionTest {
    private static final List<AnswerToken> ANSWER = List.of(new AnswerToken(0, "▁a", 1), new AnswerToken(1, "▁red", 2),
            new AnswerToken(2, "▁circle", 3));

    @Test
    void selectsAWordAndIndices() {
        assertThat(TargetSelection.word(ANSWER, "Red")).containsExactly(1);
        assertThat(TargetSelection.indices(ANSWER, TargetSelection.parseIndices("2, 0"))).containsExactly(2, 0);
    }

    @Test
    void anIndexOutsideTheAnswerNamesTheInputByItsApiName() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> TargetSelection.indices(ANSWER, List.of(7)));
        assertThat(e.input()).isEqualTo(TargetSelection.INDICES);
        assertThat(e.getMessage()).startsWith("targetIndices 7 is outside the answer, which has 3 tokens").doesNotContain("--");
        assertThat(e.describedAs("--target-index")).startsWith("--target-index 7 is outside the answer");
        InvalidInputException twice = catchThrowableOfType(InvalidInputException.class,
                () -> TargetSelection.indices(ANSWER, List.of(1, 1)));
        assertThat(twice.describedAs("'targets'")).isEqualTo("'targets' 1 is given twice");
        InvalidInputException notANumber = catchThrowableOfType(InvalidInputException.class,
                () -> TargetSelection.parseIndices("1,x"));
        assertThat(notANumber.getMessage()).isEqualTo("targetIndices: 'x' is not a whole number");
    }

    @Test
    void anAbsentWordNamesTheInputByItsApiName() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> TargetSelection.word(ANSWER, "zebra"));
        assertThat(e.input()).isEqualTo(TargetSelection.WORD);
        assertThat(e.getMessage()).startsWith("targetWord 'zebra' is not a word of the answer");
        assertThat(e.describedAs("--target-word")).startsWith("--target-word 'zebra' is not a word of the answer");
    }

    @Test
    void aMessageWithoutAnInputIsDescribedAsItself() {
        InvalidInputException e = new InvalidInputException("image file x.png does not exist");
        assertThat(e.input()).isNull();
        assertThat(e.describedAs("--image")).isEqualTo("image file x.png does not exist");
    }
}
