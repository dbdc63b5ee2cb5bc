package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.text.MessageRole;
import io.github.eagle4j.text.PromptMessage;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.SpanSplitter;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextMaskBatch;
import io.github.eagle4j.text.TextSpan;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Prompt-text masking of the in-process backend against PyTorch (fixtures/text_goldens.py): word spans of a question
 * removed by the pad token or from the attention mask give the teacher-forced probabilities transformers gives,
 * within 1e-4, one entry per call and many per call.
 */
class TextMaskingParityTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void padAndDropMatchPyTorch() throws IOException {
        Goldens g = Goldens.main();
        JsonNode golden = new ObjectMapper().readTree(g.dir.resolve("text-golden.json").toFile());
        RgbImage image = g.load("scene");
        try (OnnxModel model = OnnxModel.open(g.modelDir)) {
            for (JsonNode c : golden.get("cases")) {
                String prompt = c.get("prompt").asText();
                String answer = c.get("answer").asText();
                assertThat(model.encode(prompt, answer, image.width(), image.height()).fullIds())
                        .containsExactly(Goldens.longs(c.get("fullIds")));
                assertThat(model.textPadTokenId()).hasValue(c.get("padTokenId").asLong());
                List<TextSpan> spans = SpanSplitter.split(List.of(new PromptMessage(MessageRole.USER, prompt)),
                        model.promptTokens(prompt, image.width(), image.height()), SpanMode.WORDS);
                JsonNode want = c.get("spans");
                assertThat(spans).hasSize(want.size());
                for (int i = 0; i < spans.size(); i++) {
                    TextSpan s = spans.get(i);
                    assertThat(s.text()).isEqualTo(want.get(i).get("text").asText());
                    assertThat(s.charStart()).isEqualTo(want.get(i).get("charStart").asInt());
                    assertThat(s.tokenStart()).isEqualTo(want.get(i).get("positions").get(0).asInt());
                    assertThat(s.tokenCount()).isEqualTo(want.get(i).get("positions").size());
                }
                List<Integer> targets = TargetSelection.all(model.answerTokens(prompt, answer));
                try (OnnxTokenScorer batched = model.scorer(prompt, answer, targets, 5);
                     OnnxTokenScorer single = model.scorer(prompt, answer, targets, 1)) {
                    assertThat(batched.textMasks()).isEqualTo(EnumSet.allOf(TextMask.class));
                    for (TextMask mask : TextMask.values()) {
                        List<BitSet> kept = new ArrayList<>();
                        List<double[]> expected = new ArrayList<>();
                        for (JsonNode r : c.get("results")) {
                            if (!r.get("mask").asText().equals(mask.cliName())) {
                                continue;
                            }
                            BitSet k = new BitSet();
                            r.get("kept").forEach(n -> k.set(n.asInt()));
                            kept.add(k);
                            expected.add(Goldens.doubles(r.get("probs")));
                        }
                        double[][] together = batched.scoreText(TextMaskBatch.onImage(image, mask, spans, kept));
                        assertThat(together.length).isEqualTo(kept.size());
                        for (int i = 0; i < kept.size(); i++) {
                            double[] alone = single.scoreText(TextMaskBatch.onImage(image, mask, spans, List.of(kept.get(i))))[0];
                            for (int t = 0; t < targets.size(); t++) {
                                assertThat(together[i][t]).as("%s %s kept %s target %d, batch", prompt, mask, kept.get(i), t)
                                        .isCloseTo(expected.get(i)[t], within(TOLERANCE));
                                assertThat(alone[t]).as("%s %s kept %s target %d, alone", prompt, mask, kept.get(i), t)
                                        .isCloseTo(expected.get(i)[t], within(TOLERANCE));
                            }
                        }
                    }
                    // every span kept is the intact prompt: the same numbers as scoring the image
                    BitSet all = new BitSet();
                    all.set(0, spans.size());
                    assertThat(batched.scoreText(TextMaskBatch.onImage(image, TextMask.DROP, spans, List.of(all)))[0])
                            .containsExactly(batched.score(List.of(image))[0], within(1e-9));
                }
            }
        }
    }

    @Test
    void maskedImagesAndMaskedTextCombineInOneCall() {
        Goldens g = Goldens.main();
        RgbImage image = g.load("scene");
        String prompt = "Is there a red circle?";
        try (OnnxModel model = OnnxModel.open(g.modelDir)) {
            List<TextSpan> spans = SpanSplitter.split(List.of(new PromptMessage(MessageRole.USER, prompt)),
                    model.promptTokens(prompt, image.width(), image.height()), SpanMode.WORDS);
            try (OnnxTokenScorer scorer = model.scorer(prompt, "yes", List.of(0, 1), 4)) {
                io.github.eagle4j.masking.Masker masker = new io.github.eagle4j.masking.Masker(image,
                        new io.github.eagle4j.regions.GridSegmenter(3, 3).segment(image), io.github.eagle4j.Fill.BLACK);
                List<BitSet> regions = List.of(bits(0, 1, 2), bits(4), bits(0, 1, 2, 3, 4, 5, 6, 7, 8));
                io.github.eagle4j.MaskedBatch images = new io.github.eagle4j.MaskedBatch(masker, regions);
                BitSet allSpans = bits(0, 1, 2, 3, 4, 5);
                List<BitSet> kept = List.of(allSpans, bits(3), bits(0, 1, 2, 4, 5));
                double[][] joint = scorer.scoreText(TextMaskBatch.onMaskedImages(images, TextMask.PAD, spans, kept));
                // entry 0 keeps every span: the masked image alone
                assertThat(joint[0]).containsExactly(scorer.scoreMasked(images)[0], within(1e-9));
                for (int i = 0; i < kept.size(); i++) {
                    double[] rendered = scorer.scoreText(TextMaskBatch.onImage(images.image(i), TextMask.PAD, spans, List.of(kept.get(i))))[0];
                    assertThat(joint[i]).containsExactly(rendered, within(1e-9));
                }
            }
        }
    }

    private static BitSet bits(int... ids) {
        BitSet b = new BitSet();
        for (int i : ids) {
            b.set(i);
        }
        return b;
    }
}
