package io.github.eagle4j.onnx.image;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.onnx.Goldens;
import io.github.eagle4j.onnx.QwenGoldens;
import io.github.eagle4j.onnx.runtime.TensorScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Qwen-VL preprocessing against the goldens of every Qwen fixture (Qwen2-VL and Qwen2.5-VL share the processor). */
class QwenImageProcessorTest {

    static Stream<Arguments> fixtureImages() {
        return QwenGoldens.all().stream().flatMap(g -> Stream.of("main", "small", "large", "main_masked_half",
                "main_masked_left", "main_black").map(n -> Arguments.of(g, n)));
    }

    static List<QwenGoldens> fixtures() {
        return QwenGoldens.all();
    }

    @ParameterizedTest
    @MethodSource("fixtureImages")
    void patchesEqualTheGoldens(QwenGoldens g, String name) {
        QwenImageProcessor p = g.processor();
        JsonNode meta = g.image(name);
        RgbImage img = g.load(name);
        assertThat(img.width()).isEqualTo(meta.get("width").asInt());
        assertThat(img.height()).isEqualTo(meta.get("height").asInt());
        assertThat(p.resizedSize(img.width(), img.height()))
                .containsExactly(meta.get("resizedHeight").asInt(), meta.get("resizedWidth").asInt());
        assertThat(p.grid(img.width(), img.height())).containsExactly(
                meta.get("gridThw").get(0).asInt(), meta.get("gridThw").get(1).asInt(), meta.get("gridThw").get(2).asInt());
        assertThat(p.imageTokens(img.width(), img.height())).isEqualTo(meta.get("imageTokens").asInt());

        float[] got = p.patches(img);
        JsonNode sums = meta.get("pixelValues");
        assertThat(got.length).isEqualTo(sums.get("shape").get(0).asInt() * sums.get("shape").get(1).asInt());
        assertThat(sums.get("shape").get(1).asInt()).isEqualTo(p.valuesPerPatch());
        double sum = 0;
        for (float v : got) {
            sum += v;
        }
        assertThat(sum).isCloseTo(sums.get("sum").asDouble(), within(1e-3));
        double maxDiff = 0;
        JsonNode idx = sums.get("sampleIndices");
        for (int i = 0; i < idx.size(); i++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[idx.get(i).asInt()] - sums.get("sampleValues").get(i).asDouble()));
        }
        if (meta.has("pixelValuesF32LeBase64")) {
            float[] want = Goldens.floats(meta.get("pixelValuesF32LeBase64").asText());
            assertThat(got.length).isEqualTo(want.length);
            for (int i = 0; i < want.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
            }
            byte[] u8 = Goldens.bytes(meta.get("resizedUint8HwcBase64").asText());
            int[] resized = p.resized(img);
            assertThat(resized.length * 3).isEqualTo(u8.length);
            for (int i = 0; i < resized.length; i++) {
                for (int c = 0; c < 3; c++) {
                    assertThat((resized[i] >>> (16 - 8 * c)) & 0xFF).as(name + " u8 at " + i + "," + c).isEqualTo(u8[3 * i + c] & 0xFF);
                }
            }
        }
        assertThat(maxDiff).as(name + " max abs diff").isEqualTo(0.0);
    }

    @Test
    void patchesAppendToABuffer() {
        QwenImageProcessor p = QwenGoldens.QWEN2_VL.processor();
        RgbImage img = QwenGoldens.QWEN2_VL.load("main");
        float[] one = p.patches(img);
        FloatBuffer two = FloatBuffer.allocate(2 * one.length);
        p.patches(img, two);
        p.patches(img, two);
        assertThat(two.position()).isEqualTo(2 * one.length);
        float[] all = two.array();
        for (int i = 0; i < one.length; i++) {
            assertThat(all[i]).isEqualTo(one[i]);
            assertThat(all[one.length + i]).isEqualTo(one[i]);
        }
    }

    /** Expected values from transformers 5.17's smart_resize. */
    @ParameterizedTest
    @CsvSource({
            "640, 480, 28, 3136, 12845056, 476, 644",
            "640, 480, 8, 512, 4096, 48, 72",
            "1, 1, 28, 3136, 12845056, 56, 56",
            "1, 1, 8, 512, 4096, 24, 24",
            "70, 70, 28, 3136, 12845056, 56, 56",   // round(2.5) = 2
            "42, 42, 28, 3136, 12845056, 56, 56",   // round(1.5) = 2
            "70, 70, 8, 512, 4096, 64, 64",
            "3000, 2000, 28, 3136, 12845056, 1988, 2996",
            "200, 1, 28, 3136, 12845056, 28, 812",
            "13, 20, 8, 512, 4096, 32, 24",
            "60, 44, 8, 512, 4096, 48, 64",
            "100, 90, 8, 512, 4096, 56, 64",
            "1000, 5, 8, 512, 4096, 8, 904",
            "20000, 100, 28, 3136, 12845056, 112, 19992",
    })
    void smartResizeFollowsTransformers(int width, int height, int factor, long min, long max, int h, int w) {
        assertThat(QwenImageProcessor.smartResize(height, width, factor, min, max)).containsExactly(h, w);
    }

    @Test
    void thinImagesAreRejectedInOneLine() {
        QwenImageProcessor p = QwenGoldens.QWEN2_VL.processor();
        assertThatThrownBy(() -> p.validate(RgbImage.filled(201, 1, 0)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("201x1").hasMessageContaining("200")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> p.patches(RgbImage.filled(3, 700, 0))).isInstanceOf(InvalidInputException.class);
        p.validate(RgbImage.filled(200, 1, 0));
        assertThat(p.patches(RgbImage.filled(200, 1, 0x336699))).hasSize(8 / 4 * 320 / 4 * p.valuesPerPatch());
        assertThat(p.patches(RgbImage.filled(1, 1, 0x336699))).hasSize(6 * 6 * p.valuesPerPatch());
    }

    @Test
    void publishedConfigFormIsRead() throws Exception {
        // Qwen/Qwen2-VL-2B-Instruct's preprocessor_config.json: pixel bounds at the top level, no size
        JsonNode c = new ObjectMapper().readTree("""
                {"min_pixels": 3136, "max_pixels": 12845056, "patch_size": 14, "temporal_patch_size": 2, "merge_size": 2,
                 "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
                 "image_processor_type": "Qwen2VLImageProcessor", "processor_class": "Qwen2VLProcessor"}""");
        QwenImageProcessor p = QwenImageProcessor.fromJson(c, "preprocessor_config.json");
        assertThat(p.valuesPerPatch()).isEqualTo(1176);
        assertThat(p.grid(640, 480)).containsExactly(1, 34, 46);
        assertThat(p.imageTokens(640, 480)).isEqualTo(391);
        // the top-level bounds win over size (transformers' __init__ applies them last)
        JsonNode both = new ObjectMapper().readTree("""
                {"image_processor_type": "Qwen2VLImageProcessorFast", "patch_size": 16, "merge_size": 2,
                 "size": {"shortest_edge": 65536, "longest_edge": 16777216}, "max_pixels": 65536}""");
        assertThat(QwenImageProcessor.fromJson(both, "p.json").grid(640, 480)).containsExactly(1, 12, 18);
    }

    @Test
    void badConfigsNameTheField() throws Exception {
        ObjectMapper om = new ObjectMapper();
        assertThatThrownBy(() -> QwenImageProcessor.fromJson(om.readTree("{\"image_processor_type\": \"CLIPImageProcessor\"}"), "p.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("p.json").hasMessageContaining("CLIPImageProcessor");
        assertThatThrownBy(() -> QwenImageProcessor.fromJson(om.readTree(
                "{\"image_processor_type\": \"Qwen2VLImageProcessor\", \"min_pixels\": 5000, \"max_pixels\": 4000}"), "p.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("min_pixels");
        assertThatThrownBy(() -> QwenImageProcessor.fromJson(om.readTree(
                "{\"image_processor_type\": \"Qwen2VLImageProcessor\", \"patch_size\": 0}"), "p.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("patch_size");
        assertThatThrownBy(() -> QwenImageProcessor.fromJson(om.readTree(
                "{\"image_processor_type\": \"Qwen2VLImageProcessor\", \"resample\": 0}"), "p.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("resample");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void visionGraphInputsAreChecked(QwenGoldens g) throws OrtException {
        QwenImageProcessor p = g.processor();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession qwen = env.createSession(g.model.resolve("onnx/vision_encoder.onnx").toString(), o);
             OrtSession llava = env.createSession(Goldens.main().modelDir.resolve("onnx/vision_encoder.onnx").toString(), o)) {
            p.checkVisionInputs(qwen.getInputInfo(), "onnx/vision_encoder.onnx");
            assertThatThrownBy(() -> p.checkVisionInputs(llava.getInputInfo(), "onnx/vision_encoder.onnx"))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("onnx/vision_encoder.onnx").hasMessageContaining("pixel_values");
            QwenImageProcessor other = QwenImageProcessor.fromJson(new ObjectMapper().readTree(
                    "{\"image_processor_type\": \"Qwen2VLImageProcessor\", \"patch_size\": 14}"), "preprocessor_config.json");
            assertThatThrownBy(() -> other.checkVisionInputs(qwen.getInputInfo(), "onnx/vision_encoder.onnx"))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("96").hasMessageContaining("1176");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** The tensors of visionInputs, run through the vision encoder, give one feature row per merged patch. */
    @ParameterizedTest
    @MethodSource("fixtures")
    void visionInputsRunTheEncoder(QwenGoldens g) throws OrtException {
        QwenImageProcessor p = g.processor();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        RgbImage a = g.load("main");
        RgbImage b = g.load("main_masked_half");
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession vision = env.createSession(g.model.resolve("onnx/vision_encoder.onnx").toString(), o);
             TensorScope scope = new TensorScope(env)) {
            var inputs = p.visionInputs(ImageInput.of(List.of(a, b)), p.layout(a.width(), a.height()), scope);
            try (OrtSession.Result r = vision.run(inputs)) {
                long[] shape = ((ai.onnxruntime.OnnxTensor) r.get(0)).getInfo().getShape();
                assertThat(shape).containsExactly(2L * p.imageTokens(a.width(), a.height()), 64L);
            }
        }
    }
}
