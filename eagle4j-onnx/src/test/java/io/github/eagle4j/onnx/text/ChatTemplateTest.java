package io.github.eagle4j.onnx.text;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.onnx.Goldens;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatTemplateTest {
    private static final Map<String, Object> USER = Map.of("role", "user",
            "content", List.of(Map.of("type", "image"), Map.of("type", "text", "text", "  What is this? ")));

    private static String resource(String name) throws IOException {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/templates/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Expected strings rendered once by Jinja2 3.x with transformers' settings (trim_blocks, lstrip_blocks, loopcontrols). */
    @Test
    void multiLineTemplateRendersLikeJinja2() throws IOException {
        ChatTemplate t = new ChatTemplate(resource("multiline.jinja"), "multiline.jinja", Map.of());
        assertThat(t.render(List.of(USER), true)).isEqualTo(
                "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
                        + "<|vision_start|><|image_pad|><|vision_end|>What is this?<|im_end|>\n<|im_start|>assistant\n");
        Map<String, Object> assistant = Map.of("role", "assistant", "content", "A cat.");
        assertThat(t.render(List.of(USER, assistant), false)).isEqualTo(
                "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
                        + "<|vision_start|><|image_pad|><|vision_end|>What is this?<|im_end|>\n<|im_start|>assistant\n"
                        + "A cat.<|im_end|>\n");
    }

    @Test
    void raiseExceptionFailsWithItsMessage() throws IOException {
        ChatTemplate t = new ChatTemplate(
                new String(java.nio.file.Files.readAllBytes(Goldens.main().modelDir.resolve("chat_template.jinja")), StandardCharsets.UTF_8),
                "chat_template.jinja", Map.of("bos_token", "<s>", "eos_token", "</s>"));
        assertThatThrownBy(() -> t.render(List.of(Map.of("role", "system", "content", "Be brief.")), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("chat_template.jinja")
                .hasMessageContaining("Only user and assistant roles are supported");
    }

    @Test
    void oneTrailingNewlineOfTheTemplateIsDropped() {
        ChatTemplate t = new ChatTemplate("{{ bos_token }}x\n", "t", Map.of("bos_token", "<s>"));
        assertThat(t.render(List.of(), false)).isEqualTo("<s>x");
        assertThat(t.specialToken("bos_token")).contains("<s>");
    }

    @Test
    void unknownFunctionsAreErrors() {
        ChatTemplate t = new ChatTemplate("{{ messages[0]['content'].startswith('a') }}", "t", Map.of());
        assertThatThrownBy(() -> t.render(List.of(Map.of("role", "user", "content", "abc")), false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("startswith");
    }
}
