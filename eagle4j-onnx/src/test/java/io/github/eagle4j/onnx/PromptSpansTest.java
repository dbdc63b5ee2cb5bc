package io.github.eagle4j.onnx;

import io.github.eagle4j.text.MessageRole;
import io.github.eagle4j.text.PromptMessage;
import io.github.eagle4j.text.PromptToken;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.SpanSplitter;
import io.github.eagle4j.text.TextSpan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text regions cut on each family's own tokenizer: the word-level tokenizer of tiny-shapes-llava, and the byte-level
 * BPE of the Qwen2-VL and Idefics3 fixtures, whose multi-byte characters (CJK, é, an emoji outside the BMP) become
 * several tokens sharing one character range. Spans are written {@code 'text'chars/tokens}, positions in the
 * teacher-forced sequence.
 */
class PromptSpansTest {
    private static final String PROMPT = "Is there a red 红色 circle? é😀 ok. Next one.";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../models/tiny-shapes-llava|WORDS|'Is'0-2/67-68 'there'3-8/68-69 'a'9-10/69-70 'red'11-14/70-71 '红色'15-17/71-72 "
            + "'circle'18-24/72-73 '?'24-25/73-74 'é'26-27/74-75 '😀'27-29/75-76 'ok'30-32/76-77 '.'32-33/77-78 "
            + "'Next'34-38/78-79 'one'39-42/79-80 '.'42-43/80-81",
        "../models/tiny-shapes-llava|SENTENCES|'Is there a red 红色 circle?'0-25/67-74 'é😀 ok.'26-33/74-78 'Next one.'34-43/78-81",
        "../fixtures/models/tiny-random-qwen2-vl|WORDS|'Is'0-2/98-99 ' there'2-8/99-100 ' a'8-10/100-101 ' red'10-14/101-102 "
            + "'红色'15-17/103-109 ' circle'17-24/109-110 '?'24-25/110-111 'é'26-27/112-114 '😀'27-29/114-118 ' ok'29-32/118-120 "
            + "'.'32-33/120-121 'Next'34-38/122-124 ' one'38-42/124-125 '.'42-43/125-126",
        "../fixtures/models/tiny-random-qwen2-vl|SENTENCES|'Is there a red 红色 circle?'0-25/98-111 'é😀 ok.'26-33/112-121 "
            + "'Next one.'34-43/122-126",
        "../fixtures/models/tiny-random-qwen2-vl|MESSAGES|'Is there a red 红色 circle? é😀 ok. Next one.'0-43/98-126",
        "../fixtures/models/tiny-random-idefics3|WORDS|'Is'0-2/68-69 ' there'2-8/69-70 ' a'8-10/70-71 ' red'10-14/71-72 "
            + "'红色'15-17/73-79 ' circle'17-24/79-80 '?'24-25/80-81 'é'26-27/82-84 '😀'27-29/84-88 ' ok'29-32/88-90 "
            + "'.'32-33/90-91 'Next'34-38/92-96 ' one'38-42/96-98 '.'42-43/98-99",
        "../fixtures/models/tiny-random-idefics3|SENTENCES|'Is there a red 红色 circle?'0-25/68-81 'é😀 ok.'26-33/82-91 "
            + "'Next one.'34-43/92-99",
    })
    void spansFollowTheTokenizer(String dir, SpanMode mode, String expected) {
        try (OnnxModel model = OnnxModel.open(Path.of(dir))) {
            List<PromptToken> tokens = model.promptTokens(PROMPT, 64, 64);
            List<TextSpan> spans = SpanSplitter.split(List.of(new PromptMessage(MessageRole.USER, PROMPT)), tokens, mode);
            assertThat(spans.stream().map(s -> "'" + s.text() + "'" + s.charStart() + "-" + s.charEnd() + "/" + s.tokenStart()
                    + "-" + s.tokenEnd()).collect(Collectors.joining(" "))).isEqualTo(expected);

            var enc = model.encode(PROMPT, "yes", 64, 64);
            long[] ids = enc.fullIds();
            long image = model.imageTokenId();
            for (TextSpan s : spans) {
                assertThat(s.tokenEnd()).as("no answer token").isLessThanOrEqualTo(enc.answerStart());
                long[] own = Arrays.copyOfRange(ids, s.tokenStart(), s.tokenEnd());
                assertThat(own).as("no image token").doesNotContain(image);
                // whole tokens: the span's tokens decode to exactly its text (the word-level vocabulary spells
                // unknown words <unk>, so only the byte-level tokenizers can be checked this way)
                if (!dir.contains("llava")) {
                    assertThat(model.tokenizer().decode(own, false)).isEqualTo(s.text());
                }
            }
        }
    }
}
