package io.github.eagle4j.onnx.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.onnx.Goldens;
import io.github.eagle4j.onnx.Idefics3Goldens;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Idefics3 preprocessing against transformers' Idefics3ImageProcessorPil (fixtures/idefics3.py goldens). */
class Idefics3ImageProcessorTest {

    static List<String> images() {
        return Idefics3Goldens.imageNames();
    }

    @ParameterizedTest
    @MethodSource("images")
    void geometryEqualsTheGoldens(String name) {
        JsonNode e = Idefics3Goldens.image(name);
        Idefics3ImageProcessor.Geometry g = Idefics3Goldens.processor().geometry(e.get("width").asInt(), e.get("height").asInt());
        assertThat(g).isEqualTo(new Idefics3ImageProcessor.Geometry(e.get("resizedWidth").asInt(), e.get("resizedHeight").asInt(),
                e.get("visionWidth").asInt(), e.get("visionHeight").asInt(), e.get("rows").asInt(), e.get("cols").asInt()));
        assertThat(g.tiles()).isEqualTo(e.get("tiles").asInt());
    }

    @ParameterizedTest
    @MethodSource("images")
    void pixelValuesEqualTheGoldensBitForBit(String name) {
        JsonNode e = Idefics3Goldens.image(name);
        RgbImage img = Idefics3Goldens.load(name);
        assertThat(img.width()).isEqualTo(e.get("width").asInt());
        float[] pv = Idefics3Goldens.processor().preprocess(img);
        JsonNode sums = e.get("pixelValues");
        int expected = 1;
        for (JsonNode d : sums.get("shape")) {
            expected *= d.asInt();
        }
        assertThat(pv).hasSize(expected);
        double sum = 0;
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : pv) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(sum).as(name + " sum").isCloseTo(sums.get("sum").asDouble(), Offset.offset(1e-3));
        assertThat((double) min).isEqualTo(sums.get("min").asDouble());
        assertThat((double) max).isEqualTo(sums.get("max").asDouble());
        JsonNode idx = sums.get("sampleIndices");
        JsonNode val = sums.get("sampleValues");
        for (int i = 0; i < idx.size(); i++) {
            assertThat((double) pv[idx.get(i).asInt()]).as(name + " sample " + i).isEqualTo(val.get(i).asDouble());
        }
        if (e.has("pixelValuesF32LeBase64")) {
            assertThat(pv).containsExactly(Goldens.floats(e.get("pixelValuesF32LeBase64").asText()));
        }
    }

    /** Pillow's Lanczos, bit for bit: the uint8 image after each of the three resizes. */
    @ParameterizedTest
    @MethodSource("images")
    void lanczosStagesEqualPillow(String name) {
        JsonNode e = Idefics3Goldens.image(name);
        if (!e.has("resizedUint8HwcBase64")) {
            return;
        }
        Idefics3ImageProcessor.Stages s = Idefics3Goldens.processor().stages(Idefics3Goldens.load(name));
        assertPlanes(name + " resized", s.resized(), Goldens.bytes(e.get("resizedUint8HwcBase64").asText()));
        assertPlanes(name + " vision", s.vision(), Goldens.bytes(e.get("visionUint8HwcBase64").asText()));
        assertPlanes(name + " global", s.tiles().get(s.tiles().size() - 1), Goldens.bytes(e.get("globalUint8HwcBase64").asText()));
    }

    private static void assertPlanes(String what, int[][] planes, byte[] hwc) {
        assertThat(planes[0].length * 3).as(what + " size").isEqualTo(hwc.length);
        int diffs = 0;
        for (int i = 0; i < planes[0].length; i++) {
            for (int c = 0; c < 3; c++) {
                if (planes[c][i] != (hwc[3 * i + c] & 0xFF)) {
                    diffs++;
                }
            }
        }
        assertThat(diffs).as(what + ": bytes that differ from Pillow").isZero();
    }

    @Test
    void withoutSplittingTheImageIsOneTile() {
        JsonNode ns = Idefics3Goldens.json().get("noSplit");
        ObjectNode cfg = ModelDirectory.plain(Idefics3Goldens.MODEL_DIR).json(ModelDirectory.PREPROCESSOR_CONFIG).deepCopy();
        cfg.put("do_image_splitting", false);
        Idefics3ImageProcessor p = Idefics3ImageProcessor.fromJson(cfg, "preprocessor_config.json");
        RgbImage img = Idefics3Goldens.load(ns.get("image").asText());
        Idefics3ImageProcessor.Geometry g = p.geometry(img.width(), img.height());
        assertThat(g.rows()).isZero();
        assertThat(g.cols()).isZero();
        assertThat(g.tiles()).isEqualTo(ns.get("tiles").asInt()).isEqualTo(1);
        assertThat(p.preprocess(img)).containsExactly(Goldens.floats(ns.get("pixelValuesF32LeBase64").asText()));
    }

    @Test
    void sizesFollowTransformersArithmetic() {
        // longest edge 96: the other side truncated, then rounded up to even
        assertThat(Idefics3ImageProcessor.longestEdgeSize(150, 100, 96)).containsExactly(96, 64);
        assertThat(Idefics3ImageProcessor.longestEdgeSize(40, 30, 96)).containsExactly(96, 72);
        assertThat(Idefics3ImageProcessor.longestEdgeSize(60, 130, 96)).containsExactly(44, 96);
        assertThat(Idefics3ImageProcessor.longestEdgeSize(97, 50, 96)).containsExactly(96, 50); // int(49.48) = 49 -> 50
        // SmolVLM-256M: 2048 then tiles of 512; a 640x480 photo becomes 4x3 tiles + global
        assertThat(Idefics3ImageProcessor.longestEdgeSize(640, 480, 2048)).containsExactly(2048, 1536);
        assertThat(Idefics3ImageProcessor.visionSize(2048, 1536, 512)).containsExactly(2048, 1536);
        assertThat(Idefics3ImageProcessor.visionSize(44, 96, 32)).containsExactly(64, 96);
        assertThat(Idefics3ImageProcessor.visionSize(96, 72, 32)).containsExactly(96, 96);
    }

    @Test
    void tinyImagesWorkButSliversAreOneLineErrors() {
        Idefics3ImageProcessor p = Idefics3Goldens.processor();
        assertThat(p.preprocess(RgbImage.filled(1, 1, 0x336699))).hasSize(10 * p.valuesPerTile());
        assertThat(p.preprocess(RgbImage.filled(96, 1, 0x336699))).hasSize(4 * p.valuesPerTile());
        assertThatThrownBy(() -> p.preprocess(RgbImage.filled(1, 97, 0)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("1x97").hasMessageContaining("too thin")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> p.geometry(5000, 2))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("5000x2");
    }

    @Test
    void badConfigsNameTheFileAndField() {
        ObjectNode base = ModelDirectory.plain(Idefics3Goldens.MODEL_DIR).json(ModelDirectory.PREPROCESSOR_CONFIG).deepCopy();
        ObjectNode wrongType = base.deepCopy().put("image_processor_type", "CLIPImageProcessor");
        assertThatThrownBy(() -> Idefics3ImageProcessor.fromJson(wrongType, "preprocessor_config.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("preprocessor_config.json")
                .hasMessageContaining("CLIPImageProcessor");
        ObjectNode noTile = base.deepCopy();
        noTile.remove("max_image_size");
        assertThatThrownBy(() -> Idefics3ImageProcessor.fromJson(noTile, "preprocessor_config.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("max_image_size.longest_edge");
        ObjectNode nearest = base.deepCopy().put("resample", 0);
        assertThatThrownBy(() -> Idefics3ImageProcessor.fromJson(nearest, "preprocessor_config.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("resample 0");
        ObjectNode huge = base.deepCopy();
        huge.putObject("size").put("longest_edge", 100000);
        assertThatThrownBy(() -> Idefics3ImageProcessor.fromJson(huge, "preprocessor_config.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("size.longest_edge 100000");
    }
}
