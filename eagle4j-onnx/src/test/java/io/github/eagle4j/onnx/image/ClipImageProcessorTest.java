package io.github.eagle4j.onnx.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.onnx.Goldens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClipImageProcessorTest {

    static List<Goldens> models() {
        return Goldens.all();
    }

    @ParameterizedTest
    @MethodSource("models")
    void pixelValuesEqualTheGoldens(Goldens g) {
        ClipImageProcessor p = ClipImageProcessor.fromConfig(g.modelDir.resolve("preprocessor_config.json"));
        double maxDiff = 0;
        for (String name : g.imageNames()) {
            JsonNode meta = g.image(name);
            RgbImage img = g.load(name);
            assertThat(img.width()).isEqualTo(meta.get("width").asInt());
            float[] pv = p.preprocess(img);
            JsonNode sums = meta.get("pixelValues");
            assertThat(pv.length).isEqualTo(3 * sums.get("shape").get(1).asInt() * sums.get("shape").get(2).asInt());
            double sum = 0;
            for (float v : pv) {
                sum += v;
            }
            assertThat(sum).as(name + " sum").isCloseTo(sums.get("sum").asDouble(), org.assertj.core.data.Offset.offset(1e-3));
            JsonNode idx = sums.get("sampleIndices");
            JsonNode val = sums.get("sampleValues");
            for (int i = 0; i < idx.size(); i++) {
                maxDiff = Math.max(maxDiff, Math.abs(pv[idx.get(i).asInt()] - val.get(i).asDouble()));
            }
            if (meta.has("pixelValuesF32LeBase64")) {
                float[] want = Goldens.floats(meta.get("pixelValuesF32LeBase64").asText());
                assertThat(pv.length).isEqualTo(want.length);
                for (int i = 0; i < want.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(pv[i] - want[i]));
                }
                byte[] u8 = Goldens.bytes(meta.get("resizedCroppedUint8HwcBase64").asText());
                int[] got = p.resizeAndCrop(img);
                for (int i = 0; i < got.length; i++) {
                    for (int c = 0; c < 3; c++) {
                        assertThat((got[i] >>> (16 - 8 * c)) & 0xFF).as(name + " u8 at " + i + "," + c)
                                .isEqualTo(u8[3 * i + c] & 0xFF);
                    }
                }
            }
        }
        assertThat(maxDiff).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void shortestEdgeFollowsTransformers() {
        assertThat(ClipImageProcessor.shortestEdgeSize(160, 120, 64)).containsExactly(85, 64);
        assertThat(ClipImageProcessor.shortestEdgeSize(120, 160, 64)).containsExactly(64, 85);
        assertThat(ClipImageProcessor.shortestEdgeSize(128, 128, 64)).containsExactly(64, 64);
    }

    @Test
    void tinyImagesWorkButSlivers() {
        ClipImageProcessor p = ClipImageProcessor.fromConfig(Goldens.main().modelDir.resolve("preprocessor_config.json"));
        assertThat(p.preprocess(RgbImage.filled(1, 1, 0x336699))).hasSize(p.valuesPerImage());
        assertThat(p.preprocess(RgbImage.filled(32, 1, 0x336699))).hasSize(p.valuesPerImage());
        assertThatThrownBy(() -> p.preprocess(RgbImage.filled(1000, 1, 0)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("1000x1").hasMessageContaining("too thin");
    }

    @org.junit.jupiter.api.Test
    void siglipConfigsResizeToTheFixedSizeWithoutACrop() {
        // the fields of llava-hf/llava-interleave-qwen-0.5b-hf's preprocessor_config.json, smaller
        var m = new com.fasterxml.jackson.databind.ObjectMapper();
        var siglip = m.createObjectNode().put("image_processor_type", "SiglipImageProcessor").put("resample", 3)
                .put("do_resize", true).put("do_rescale", true).put("do_normalize", true);
        siglip.putObject("size").put("height", 48).put("width", 48);
        siglip.putArray("image_mean").add(0.5).add(0.5).add(0.5);
        siglip.putArray("image_std").add(0.5).add(0.5).add(0.5);
        ClipImageProcessor p = ClipImageProcessor.fromJson(siglip, "preprocessor_config.json");
        assertThat(p.outputWidth()).isEqualTo(48);
        assertThat(p.outputHeight()).isEqualTo(48);
        // the same pipeline spelled as a CLIP config with the crop switched off
        var clip = siglip.deepCopy().put("image_processor_type", "CLIPImageProcessor").put("do_center_crop", false);
        RgbImage img = Goldens.main().load("nonsquare");
        assertThat(p.preprocess(img)).containsExactly(ClipImageProcessor.fromJson(clip, "x.json").preprocess(img));
        float[] white = p.preprocess(RgbImage.filled(90, 30, 0xFFFFFF));
        assertThat(white[0]).isEqualTo(1.0f);
    }
}
