package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.Fill;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.regions.FrameSegmenter;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Several images in one prompt through the server backends (docs/frames.md): vLLM gets one image part per image, in
 * order, in one chat request; SGLang gets the chat format's image placeholder once per image and the item's images as a
 * list. Against loopback servers that run the bundled model on every image they receive, the explanation of a two-image
 * prompt equals the in-process ONNX backend's, and a removed region is filled in its own image only.
 */
class MultiImageServerTest {
    static FakeVllm vllmServer;
    static FakeSglang sglangServer;
    static VisionLanguageModel vllm;
    static VisionLanguageModel sglang;
    static final List<RgbImage> IMAGES = List.of(TinyModel.scene(), mirrored(TinyModel.scene()));

    @BeforeAll
    static void start() {
        vllmServer = new FakeVllm();
        vllm = new ServerModelProvider().open(vllmServer.url(), Map.of("backend", "vllm"));
        sglangServer = new FakeSglang();
        sglang = new ServerModelProvider().open(sglangServer.url(),
                Map.of("backend", "sglang", "chatFormat", TinyModel.CHAT_FORMAT, "batchSize", "4"));
    }

    @AfterAll
    static void stop() {
        vllm.close();
        vllmServer.close();
        sglang.close();
        sglangServer.close();
    }

    /** The scene left to right, so the two images differ. */
    static RgbImage mirrored(RgbImage image) {
        int w = image.width();
        int[] px = new int[image.pixelCount()];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = image.rgbAt(y * w + (w - 1 - x));
            }
        }
        return RgbImage.of(w, image.height(), px);
    }

    static Explanation explain(VisionLanguageModel vlm, String answer, Fill fill) {
        FrameLayout frames = FrameLayout.of(IMAGES);
        RgbImage canvas = frames.compose(IMAGES);
        RegionSet regions = new FrameSegmenter(frames, new GridSegmenter(2, 2)).segment(canvas);
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(2, 2)).search(SearchKind.FULL).fill(fill)
                .build();
        try (TokenScorer scorer = vlm.scorer(Runs.PROMPT, answer, TargetSelection.all(vlm.answerTokens(Runs.PROMPT, answer)),
                frames)) {
            assertThat(scorer.frames()).contains(frames);
            return new Explainer(options).explain(canvas, regions, scorer, (a, b, c) -> { });
        }
    }

    @Test
    void vllmAnswersAndExplainsTwoImagesAsTheOnnxBackendDoes() {
        String answer = TinyModel.get().model.generate(IMAGES, Runs.PROMPT, 24).text();
        assertThat(vllm.generate(IMAGES, Runs.PROMPT, 24).text()).isEqualTo(answer);
        for (Fill fill : List.of(Fill.BLACK, Fill.BLUR)) {
            Explanation onnx = explain(TinyModel.get().model, answer, fill);
            vllmServer.imagesPerRequest.clear();
            Explanation remote = explain(vllm, answer, fill);
            assertThat(remote.curves().order()).as("%s", fill).containsExactly(onnx.curves().order());
            double diff = Runs.maxCurveDifference(remote, onnx);
            assertThat(diff).as("%s", fill).isLessThanOrEqualTo(1e-4);
            // 8 regions: 72 images, each one request with both images (plus the prefix-cache check's repeat)
            assertThat(vllmServer.imagesPerRequest).hasSize(73).containsOnly(2);
            System.out.printf(Locale.ROOT, "vllm two images, %s fill: answer '%s', order %s, max curve difference %.3g%n", fill,
                    answer, java.util.Arrays.toString(remote.curves().order()), diff);
        }
    }

    @Test
    void sglangAnswersAndExplainsTwoImagesAsTheOnnxBackendDoes() {
        String answer = TinyModel.get().model.generate(IMAGES, Runs.PROMPT, 24).text();
        assertThat(sglang.generate(IMAGES, Runs.PROMPT, 24).text()).isEqualTo(answer);
        for (Fill fill : List.of(Fill.BLACK, Fill.MEAN)) {
            Explanation onnx = explain(TinyModel.get().model, answer, fill);
            sglangServer.imagesPerItem.clear();
            Explanation remote = explain(sglang, answer, fill);
            assertThat(remote.curves().order()).as("%s", fill).containsExactly(onnx.curves().order());
            double diff = Runs.maxCurveDifference(remote, onnx);
            assertThat(diff).as("%s", fill).isLessThanOrEqualTo(1e-4);
            assertThat(sglangServer.imagesPerItem).hasSize(72).containsOnly(2);
            System.out.printf(Locale.ROOT, "sglang two images, %s fill: max curve difference %.3g%n", fill, diff);
        }
    }

    @Test
    void requestsCarryTheImagesInOrder() {
        JsonNode vllmBody = VllmProtocol.scoreRequest("m", List.of("data:a", "data:b"), "Which?", "the first", false);
        JsonNode content = vllmBody.path("messages").path(0).path("content");
        assertThat(content).hasSize(3);
        assertThat(content.path(0).path("image_url").path("url").asText()).isEqualTo("data:a");
        assertThat(content.path(1).path("image_url").path("url").asText()).isEqualTo("data:b");
        assertThat(content.path(2).path("type").asText()).isEqualTo("text");

        JsonNode sglangBody = SglangProtocol.scoreRequestOfImages(List.of("t1", "t2"),
                List.of(List.of("data:a", "data:b"), List.of("data:c")), 0, false);
        assertThat(sglangBody.path("image_data").path(0).path(1).asText()).isEqualTo("data:b");
        assertThat(sglangBody.path("image_data").path(1).asText()).isEqualTo("data:c");
    }

    @Test
    void aChatFormatWritesItsImagePlaceholderOncePerImage() {
        assertThat(ChatFormat.of("llava-1.5").forImages(3).generationPrompt("Which?"))
                .isEqualTo("USER: <image>\n<image>\n<image>\nWhich? ASSISTANT:");
        assertThat(ChatFormat.of("qwen2.5-vl").forImages(2).generationPrompt("Which?"))
                .contains("user\n<|vision_start|><|image_pad|><|vision_end|><|vision_start|><|image_pad|><|vision_end|>Which?");
        assertThat(ChatFormat.of("llava-1.5").forImages(1)).isEqualTo(ChatFormat.of("llava-1.5"));
        assertThatThrownBy(() -> ChatFormat.of("Q: {prompt} A: {answer}").forImages(2))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--chat-format 'Q: {prompt} A: {answer}' has no image placeholder before {prompt}")
                .hasMessageNotContaining("\n");
    }

    /** Text regions with several images are not built for the servers: refused in one line naming the backend. */
    @Test
    void textRegionsWithSeveralImagesAreRefusedNamingTheBackend() {
        FrameLayout frames = FrameLayout.of(IMAGES);
        RgbImage canvas = frames.compose(IMAGES);
        for (VisionLanguageModel vlm : List.of(vllm, sglang)) {
            try (TokenScorer scorer = vlm.scorer(Runs.PROMPT, "a red square .", List.of(0), frames)) {
                String backend = scorer.description().backend();
                assertThatThrownBy(() -> new io.github.eagle4j.TextExplainer(ExplainOptions.defaults(), io.github.eagle4j.text.SpanMode.WORDS,
                        io.github.eagle4j.text.TextMask.PAD).spans(scorer, canvas.width(), canvas.height()))
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessage("textMask pad: backend " + backend + " cannot mask prompt text with several images or a video");
            }
        }
    }
}
