package io.github.eagle4j.evaluation.input;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.text.Conversation;
import io.github.eagle4j.text.MessageRole;
import io.github.eagle4j.text.PromptMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The role/content form of chat APIs read into a history and a question; each bad element named by its JSON path. */
class ConversationFileTest {
    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        Path f = dir.resolve("conv.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void theLastUserTurnIsTheQuestionAndItsImagePartMarksTheImage() throws IOException {
        Path f = write("""
                [{"role": "system", "content": "Answer yes or no."},
                 {"role": "user", "content": [{"type": "text", "text": "What is this?"}]},
                 {"role": "assistant", "content": "Shapes.", "name": "bot"},
                 {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AA"}},
                                              {"type": "text", "text": "Is there a red"}, {"type": "text", "text": "circle?"}]}]
                """);
        Conversation c = ConversationFile.read(f, null);
        assertThat(c.history()).containsExactly(new PromptMessage(MessageRole.SYSTEM, "Answer yes or no."),
                new PromptMessage(MessageRole.USER, "What is this?"), new PromptMessage(MessageRole.ASSISTANT, "Shapes."));
        assertThat(c.prompt()).isEqualTo("Is there a red\ncircle?");
        assertThat(c.messages()).hasSize(4).last().isEqualTo(new PromptMessage(MessageRole.USER, "Is there a red\ncircle?"));
    }

    @Test
    void aQuestionGivenBesideTheFileIsAppendedAsTheLastUserTurn() throws IOException {
        Path f = write("[{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}]");
        Conversation c = ConversationFile.read(f, "Is there a circle?");
        assertThat(c.history()).containsExactly(new PromptMessage(MessageRole.SYSTEM, "Be brief."),
                new PromptMessage(MessageRole.USER, "Hi"));
        assertThat(c.prompt()).isEqualTo("Is there a circle?");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"role\": \"user\"}|: $ is not a non-empty JSON array of messages",
        "[]|: $ is not a non-empty JSON array of messages",
        "[\"hello\"]|: $[0] is not a message object",
        "[{\"role\": \"tool\", \"content\": \"x\"}]|: $[0].role 'tool' is not a role of system, user, assistant",
        "[{\"content\": \"x\"}]|: $[0].role is missing or not a string",
        "[{\"role\": \"user\", \"content\": 3}]|: $[0].content is missing or neither a string nor a list of parts",
        "[{\"role\": \"user\", \"content\": [{\"type\": \"audio\"}]}]|: $[0].content[0].type 'audio' is not text, image or image_url",
        "[{\"role\": \"user\", \"content\": [{\"type\": \"text\"}]}]|: $[0].content[0].text is missing or not a string",
        "[{\"role\": \"user\", \"content\": [{\"type\": \"image\"}]}, {\"role\": \"user\", \"content\": \"q\"}]"
            + "|: $[0].content[0] is an image in a turn that is not the question",
        "[{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"a\"}]"
            + "|: $[1] is the last message, a assistant turn: the question must be the last user turn",
        "[{\"role\": \"user\", \"content\": [{\"type\": \"image\"}]}]|: $[0].content has no text: the question (the last user turn) is empty",
        "[{\"role\": |: not JSON",
    })
    void badFilesAreOneLineNamingTheFileAndThePath(String json, String expected) throws IOException {
        Path f = write(json);
        assertThatThrownBy(() -> ConversationFile.read(f, null)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(f + expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = dir.resolve("none.json");
        assertThatThrownBy(() -> ConversationFile.read(f, "q")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(f + ": cannot read the conversation file");
    }

    @Test
    void parseNamesWhereTheArrayCameFrom() throws IOException {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree("[{\"role\": \"user\", \"content\": \"q\"}]");
        assertThat(ConversationFile.parse(node, "manifest line 3 'conversation'", null).prompt()).isEqualTo("q");
        assertThat(ConversationFile.parse(node, "x", "again").history()).containsExactly(new PromptMessage(MessageRole.USER, "q"));
    }
}
