package io.github.eagle4j.onnx;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.text.MessageRole;
import io.github.eagle4j.text.PromptMessage;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.SpanSplitter;
import io.github.eagle4j.text.TextSpan;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A conversation (system prompt and earlier turns before the question) rendered by each family's chat template: the
 * spans of {@code messages} mode are one per message with its role, and never hold a template token, an image
 * token or an answer token; the scorer's task carries the history.
 */
class ConversationSpansTest {
    private static final String QUESTION = "Is there a red circle?";

    private static String describe(List<TextSpan> spans) {
        return spans.stream().map(s -> s.role().jsonName() + ":'" + s.text() + "'" + s.message() + "/" + s.tokenStart() + "-"
                + s.tokenEnd()).collect(Collectors.joining(" "));
    }

    private static List<TextSpan> spans(OnnxModel model, List<PromptMessage> history, SpanMode mode) {
        List<PromptMessage> all = new ArrayList<>(history);
        all.add(new PromptMessage(MessageRole.USER, QUESTION));
        return SpanSplitter.split(all, model.promptTokens(QUESTION, 64, 64), mode);
    }

    /** Every span's tokens decode to its text, and none is an image, template or answer token. */
    private static void checkTokens(OnnxModel model, List<TextSpan> spans, boolean decodes) {
        var enc = model.encode(QUESTION, "yes", 64, 64);
        long[] ids = enc.fullIds();
        for (TextSpan s : spans) {
            assertThat(s.tokenEnd()).as("no answer token").isLessThanOrEqualTo(enc.answerStart());
            long[] own = Arrays.copyOfRange(ids, s.tokenStart(), s.tokenEnd());
            assertThat(own).as("no image token").doesNotContain(model.imageTokenId());
            if (decodes) {
                assertThat(model.tokenizer().decode(own, false)).isEqualTo(s.text());
            }
        }
    }

    @Test
    void qwenRendersTheSystemPromptAndEarlierTurnsAsOneSpanPerMessage() {
        List<PromptMessage> history = List.of(new PromptMessage(MessageRole.SYSTEM, "Answer yes or no."),
                new PromptMessage(MessageRole.USER, "What is in the picture?"),
                new PromptMessage(MessageRole.ASSISTANT, "Shapes. Red ones."));
        try (OnnxModel base = OnnxModel.open(Path.of("../fixtures/models/tiny-random-qwen2-vl"))) {
            OnnxModel model = base.withHistory(history);
            assertThat(model.encode(QUESTION, "yes", 64, 64).promptText()).startsWith("<|im_start|>system\nAnswer yes or no.<|im_end|>\n"
                    + "<|im_start|>user\nWhat is in the picture?<|im_end|>\n<|im_start|>assistant\nShapes. Red ones.<|im_end|>\n"
                    + "<|im_start|>user\n<|vision_start|>");
            List<TextSpan> messages = spans(model, history, SpanMode.MESSAGES);
            assertThat(describe(messages)).isEqualTo("system:'Answer yes or no.'0/8-17 user:'What is in the picture?'1/24-30 "
                    + "assistant:'Shapes. Red ones.'2/40-50 user:'Is there a red circle?'3/123-129");
            checkTokens(model, messages, true);
            List<TextSpan> sentences = spans(model, history, SpanMode.SENTENCES);
            assertThat(sentences.stream().map(TextSpan::text).toList()).containsExactly("Answer yes or no.",
                    "What is in the picture?", "Shapes.", "Red ones.", QUESTION);
            checkTokens(model, sentences, true);
            assertThat(model.scorer(QUESTION, "yes", List.of(0)).task().history()).isEqualTo(history);
            // the view shares the sessions: closing it leaves the model usable
            model.close();
            assertThat(base.encode(QUESTION, "yes").promptText()).startsWith("<|im_start|>system\nYou are a helpful assistant.");
        }
    }

    @Test
    void llavaRendersEarlierTurnsAndRefusesASystemPrompt() {
        List<PromptMessage> history = List.of(new PromptMessage(MessageRole.USER, "Is there a blue square?"),
                new PromptMessage(MessageRole.ASSISTANT, "no"));
        try (OnnxModel base = OnnxModel.open(Path.of("../models/tiny-shapes-llava"))) {
            OnnxModel model = base.withHistory(history);
            assertThat(model.encode(QUESTION, "yes").promptText())
                    .isEqualTo("<s>USER: Is there a blue square? ASSISTANT: no </s>USER: <image>\n" + QUESTION + " ASSISTANT:");
            List<TextSpan> words = spans(model, history, SpanMode.WORDS);
            assertThat(words.stream().map(s -> s.message() + ":" + s.text()).toList()).containsExactly("0:Is", "0:there", "0:a",
                    "0:blue", "0:square", "0:?", "1:no", "2:Is", "2:there", "2:a", "2:red", "2:circle", "2:?");
            checkTokens(model, words, false);
            assertThatThrownBy(() -> base.withHistory(List.of(new PromptMessage(MessageRole.SYSTEM, "Be brief."))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("chat_template.jinja")
                    .hasMessageContaining("Only user and assistant roles are supported");
        }
    }
}
