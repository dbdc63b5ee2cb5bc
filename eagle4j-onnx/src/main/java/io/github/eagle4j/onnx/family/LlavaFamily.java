package io.github.eagle4j.onnx.family;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.onnx.hub.JsonFields;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.image.ClipImageProcessor;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;
import io.github.eagle4j.onnx.runtime.GraphNodes;
import io.github.eagle4j.onnx.runtime.TensorScope;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LLaVA ({@code model_type llava}): one fixed-resolution image through the CLIP image processor, the image token
 * repeated once per vision feature, plain cumulative positions. The feature count follows transformers'
 * {@code LlavaProcessor} (see {@link #imageTokens}); the graph is probed against it when the model opens.
 */
final class LlavaFamily implements ModelFamily {
    private final ClipVision vision;

    private LlavaFamily(ClipVision vision) {
        this.vision = vision;
    }

    static LlavaFamily open(ModelDirectory dir, ModelConfig cfg, JsonNode config) {
        String f = ModelDirectory.CONFIG;
        ClipImageProcessor processor = ClipImageProcessor.fromJson(dir.json(ModelDirectory.PREPROCESSOR_CONFIG),
                ModelDirectory.PREPROCESSOR_CONFIG);
        int tokens = imageTokens(dir, config, processor);
        return new LlavaFamily(new ClipVision(processor, tokens));
    }

    /**
     * Image tokens per image, as transformers' {@code LlavaProcessor} counts them when {@code processor_config.json}
     * gives the patch size: {@code (h / patch) × (w / patch) + num_additional_image_tokens}, minus the CLS row with
     * the {@code default} feature strategy; else {@code image_seq_length}; else from the vision config (a CLS row only
     * for CLIP towers with the {@code full} strategy).
     */
    private static int imageTokens(ModelDirectory dir, JsonNode config, ClipImageProcessor processor) {
        String f = ModelDirectory.CONFIG;
        String pf = ModelDirectory.PROCESSOR_CONFIG;
        JsonNode pc = dir.optionalJson(pf).orElse(null);
        String strategy = JsonFields.optionalString(config, f, "vision_feature_select_strategy").orElse("default");
        if (pc != null && JsonFields.at(pc, "patch_size").isPresent() && !JsonFields.at(pc, "patch_size").get().isNull()) {
            int patch = JsonFields.requirePositiveInt(pc, pf, "patch_size");
            int extra = JsonFields.optionalLong(pc, pf, "num_additional_image_tokens").orElse(0L).intValue();
            strategy = JsonFields.optionalString(pc, pf, "vision_feature_select_strategy").orElse(strategy);
            return (processor.outputHeight() / patch) * (processor.outputWidth() / patch) + extra - (strategy.equals("default") ? 1 : 0);
        }
        var seqLen = JsonFields.optionalPositiveInt(config, f, "image_seq_length");
        if (seqLen.isPresent()) {
            return seqLen.get();
        }
        int imageSize = JsonFields.requirePositiveInt(config, f, "vision_config.image_size");
        int patch = JsonFields.requirePositiveInt(config, f, "vision_config.patch_size");
        boolean clip = JsonFields.optionalString(config, f, "vision_config.model_type").orElse("clip_vision_model").startsWith("clip");
        return (imageSize / patch) * (imageSize / patch) + (clip && strategy.equals("full") ? 1 : 0);
    }

    @Override
    public String name() {
        return "llava";
    }

    @Override
    public ImageProcessor imageProcessor() {
        return vision;
    }

    @Override
    public int positionRows() {
        return 1;
    }

    @Override
    public long[][] positionIds(long[] ids, ImageLayout layout) {
        return ModelFamily.sequentialPositions(ids.length);
    }

    /** The CLIP processor as the vision encoder's feeder: {@code pixel_values [batch, 3, h, w]}. */
    private static final class ClipVision implements ImageProcessor {
        private static final String PIXELS = "pixel_values";

        private final ClipImageProcessor processor;
        private final int tokens;

        ClipVision(ClipImageProcessor processor, int tokens) {
            this.processor = processor;
            this.tokens = tokens;
        }

        @Override
        public void validate(RgbImage image) {
            processor.validate(image);
        }

        @Override
        public ImageLayout layout(int width, int height) {
            return new ImageLayout(width, height, tokens, new int[0]);
        }

        @Override
        public ImageLayout probeLayout() {
            return layout(processor.outputWidth(), processor.outputHeight());
        }

        @Override
        public void checkVisionInputs(Map<String, NodeInfo> inputs, String file) {
            String contract = "; a LLaVA vision encoder takes only pixel_values FLOAT [batch, 3, height, width]";
            long[] s = GraphNodes.require(inputs, PIXELS, "input", file, OnnxJavaType.FLOAT, 4, contract).getShape();
            GraphNodes.requireOnly(inputs, Set.of(PIXELS), file, contract);
            if (s[1] >= 0 && s[1] != 3) {
                throw new InvalidInputException(file + ": pixel_values has " + s[1] + " channels, expected 3");
            }
            if ((s[2] >= 0 && s[2] != processor.outputHeight()) || (s[3] >= 0 && s[3] != processor.outputWidth())) {
                throw new InvalidInputException(ModelDirectory.PREPROCESSOR_CONFIG + ": images of " + processor.outputWidth() + "x"
                        + processor.outputHeight() + " do not fit " + file + " pixel_values " + s[3] + "x" + s[2]);
            }
        }

        @Override
        public Map<String, OnnxTensor> visionInputs(List<ImageInput> images, ImageLayout layout, TensorScope scope) throws OrtException {
            FloatBuffer px = scope.floatBuffer((long) images.size() * processor.valuesPerImage());
            processor.preprocess(images, px);
            px.rewind();
            return Map.of(PIXELS, scope.floats(px, images.size(), 3, processor.outputHeight(), processor.outputWidth()));
        }
    }
}
