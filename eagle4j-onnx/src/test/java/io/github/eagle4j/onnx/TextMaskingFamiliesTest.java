package io.github.eagle4j.onnx;

import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.text.MessageRole;
import io.github.eagle4j.text.PromptMessage;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.SpanSplitter;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextMaskBatch;
import io.github.eagle4j.text.TextSpan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Prompt-text masking on the dynamic-resolution families (Qwen2-VL and Qwen2.5-VL with M-RoPE, Idefics3 with tiles):
 * every span kept is the intact prompt, a removed span changes the probabilities, pad and drop differ, and a batch
 * gives what its entries give alone. (The PyTorch goldens of TextMaskingParityTest cover the arithmetic on LLaVA.)
 */
class TextMaskingFamiliesTest {
    @ParameterizedTest
    @ValueSource(strings = {"tiny-random-qwen2-vl", "tiny-random-qwen2_5-vl", "tiny-random-idefics3"})
    void padAndDropOnEachFamily(String name) {
        try (OnnxModel model = OnnxModel.open(Path.of("..", "fixtures", "models", name))) {
            RgbImage image = RgbImage.filled(60, 44, 0x80A0C0);
            String prompt = "Is there a red 红色 circle? Answer yes or no.";
            String answer = "yes it is";
            List<TextSpan> spans = SpanSplitter.split(List.of(new PromptMessage(MessageRole.USER, prompt)),
                    model.promptTokens(prompt, image.width(), image.height()), SpanMode.WORDS);
            assertThat(spans).hasSizeGreaterThan(8);
            List<Integer> targets = TargetSelection.all(model.answerTokens(prompt, answer));
            try (OnnxTokenScorer batched = model.scorer(prompt, answer, targets, 3);
                 OnnxTokenScorer single = model.scorer(prompt, answer, targets, 1)) {
                BitSet all = new BitSet();
                all.set(0, spans.size());
                List<BitSet> kept = new ArrayList<>(List.of(all, new BitSet()));
                for (int i = 0; i < 4; i++) {
                    BitSet k = (BitSet) all.clone();
                    k.clear(i * 2);
                    kept.add(k);
                }
                double[] intact = batched.score(List.of(image))[0];
                double[][] byMask = new double[2][];
                for (TextMask mask : TextMask.values()) {
                    double[][] rows = batched.scoreText(TextMaskBatch.onImage(image, mask, spans, kept));
                    assertThat(rows[0]).containsExactly(intact, within(1e-6));
                    assertThat(rows[1]).isNotEqualTo(intact);
                    for (int i = 0; i < kept.size(); i++) {
                        double[] alone = single.scoreText(TextMaskBatch.onImage(image, mask, spans, List.of(kept.get(i))))[0];
                        assertThat(rows[i]).containsExactly(alone, within(1e-5));
                    }
                    byMask[mask.ordinal()] = rows[1];
                }
                assertThat(byMask[0]).isNotEqualTo(byMask[1]);
            }
        }
    }
}
