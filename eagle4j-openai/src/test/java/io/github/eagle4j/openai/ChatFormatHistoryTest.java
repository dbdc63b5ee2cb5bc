package io.github.eagle4j.openai;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.text.ChatTemplate;
import io.github.eagle4j.text.MessageRole;
import io.github.eagle4j.text.PromptMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A conversation written by a chat format's {@code {history}} and {@code {system}} markers (SGLang, docs/backends.md):
 * the {@code qwen2.5-vl} preset writes exactly what the Qwen2-VL and Qwen2.5-VL fixtures' chat templates render for the
 * same messages, with and without a system message; without a conversation the markers write their defaults.
 */
class ChatFormatHistoryTest {
    static final List<PromptMessage> TURNS = List.of(new PromptMessage(MessageRole.USER, "Describe the image."),
            new PromptMessage(MessageRole.ASSISTANT, "a red circle ."));

    @ParameterizedTest
    @ValueSource(strings = {"tiny-random-qwen2-vl", "tiny-random-qwen2_5-vl"})
    void theQwenPresetWritesWhatTheQwenTemplatesRender(String fixture) {
        ChatTemplate template = ChatTemplate.read(ModelDirectory.open(TinyModel.REPO.resolve("fixtures/models").resolve(fixture)));
        ChatFormat preset = ChatFormat.of("qwen2.5-vl");
        List<PromptMessage> withSystem = new ArrayList<>(List.of(new PromptMessage(MessageRole.SYSTEM, "Answer in one word.")));
        withSystem.addAll(TURNS);
        for (List<PromptMessage> history : List.of(List.<PromptMessage>of(), TURNS, withSystem)) {
            ChatFormat f = history.isEmpty() ? preset : preset.withHistory(history);
            assertThat(f.generationPrompt("Is there a red circle?")).as("%s", history)
                    .isEqualTo(template.render(messages(history, "Is there a red circle?"), true));
        }
    }

    @Test
    void theTinyFormatWritesEarlierTurnsAsItsTemplateDoes() {
        ChatFormat f = ChatFormat.of(TinyModel.CHAT_FORMAT);
        assertThat(f.generationPrompt("Q?")).isEqualTo("<s>USER: <image>\nQ? ASSISTANT:");
        assertThat(f.withHistory(TURNS).closed("Q?", "yes")).isEqualTo(
                "<s>USER: Describe the image. ASSISTANT: a red circle . </s>USER: <image>\nQ? ASSISTANT: yes </s>");
        assertThat(f.withHistory(TURNS).generationPrompt("Q?"))
                .isEqualTo(TinyModel.get().template.render(messages(TURNS, "Q?"), true));
        // several images after a conversation: the question's placeholder is the one written once per image
        assertThat(f.withHistory(TURNS).forImages(2).generationPrompt("Q?")).endsWith("</s>USER: <image>\n<image>\nQ? ASSISTANT:");
        assertThatThrownBy(() -> f.withHistory(List.of(TURNS.get(0), new PromptMessage(MessageRole.ASSISTANT, "see {prompt}"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("message 1 of the conversation contains '{prompt}'");
        assertThatThrownBy(() -> ChatFormat.of("{prompt} {history} {answer}")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("{history} before {prompt}");
    }

    /** The messages as the in-process backend hands them to a chat template: text parts, the image in the question. */
    static List<Map<String, Object>> messages(List<PromptMessage> history, String question) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PromptMessage m : history) {
            out.add(Map.of("role", m.role().jsonName(), "content", List.of(Map.of("type", "text", "text", m.text()))));
        }
        out.add(Map.of("role", "user", "content", List.of(Map.of("type", "image"), Map.of("type", "text", "text", question))));
        return out;
    }
}
