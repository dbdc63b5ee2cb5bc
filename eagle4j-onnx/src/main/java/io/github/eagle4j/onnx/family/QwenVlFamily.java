package io.github.eagle4j.onnx.family;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.onnx.hub.JsonFields;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;
import io.github.eagle4j.onnx.image.QwenImageProcessor;
import io.github.eagle4j.onnx.runtime.TensorScope;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Qwen-VL line ({@code model_type qwen2_vl} and {@code qwen2_5_vl}; one graph contract, as in transformers.js and
 * onnx-community's exports): dynamic resolution through {@link QwenImageProcessor} (flattened patches plus
 * {@code grid_thw} for the vision encoder), {@code <|image_pad|>} repeated once per merged patch
 * ({@code t·h·w / merge²}), and M-RoPE positions {@code [3, batch, seq]} from {@link QwenRopeIndex}.
 *
 * <p>Reads {@code preprocessor_config.json} (the image processor) and, from {@code config.json}, the vision
 * tower's {@code spatial_merge_size}, {@code patch_size} (or {@code spatial_patch_size}) and
 * {@code temporal_patch_size} when present, which must agree with the processor's.
 */
final class QwenVlFamily implements ModelFamily {
    /** {@code model_type} values of this family. */
    static final Set<String> MODEL_TYPES = Set.of("qwen2_vl", "qwen2_5_vl");

    private final String name;
    private final QwenImageProcessor processor;
    private final Vision vision;
    private final long imageTokenId;
    private final Optional<VideoSupport> video;

    private QwenVlFamily(String name, QwenImageProcessor processor, long imageTokenId, Optional<VideoSupport> video) {
        this.name = name;
        this.processor = processor;
        this.vision = new Vision(processor);
        this.imageTokenId = imageTokenId;
        this.video = video;
    }

    /**
     * Reads the family's files.
     *
     * @throws InvalidInputException naming the file and field that is missing or disagrees
     */
    static QwenVlFamily open(ModelDirectory dir, ModelConfig cfg, JsonNode config) {
        String pf = ModelDirectory.PREPROCESSOR_CONFIG;
        QwenImageProcessor p = QwenImageProcessor.fromJson(dir.json(pf), pf);
        String f = ModelDirectory.CONFIG;
        agree(config, f, "vision_config.spatial_merge_size", p.mergeSize(), pf + " merge_size");
        Optional<Integer> patch = JsonFields.optionalPositiveInt(config, f, "vision_config.patch_size");
        if (patch.isPresent()) {
            agree(config, f, "vision_config.patch_size", p.patchSize(), pf + " patch_size");
        } else {
            agree(config, f, "vision_config.spatial_patch_size", p.patchSize(), pf + " patch_size");
        }
        agree(config, f, "vision_config.temporal_patch_size", p.temporalPatchSize(), pf + " temporal_patch_size");
        Optional<VideoSupport> video = QwenVideo.open(dir, cfg.modelType(), config, Vision::new);
        if (video.isPresent()) {
            QwenImageProcessor vp = ((Vision) video.get().processor()).p;
            if (vp.patchSize() != p.patchSize() || vp.mergeSize() != p.mergeSize() || vp.temporalPatchSize() != p.temporalPatchSize()) {
                throw new InvalidInputException("the video processor's patch_size/merge_size/temporal_patch_size (" + vp.patchSize() + "/"
                        + vp.mergeSize() + "/" + vp.temporalPatchSize() + ") differ from " + pf + "'s (" + p.patchSize() + "/"
                        + p.mergeSize() + "/" + p.temporalPatchSize() + ")");
            }
        }
        return new QwenVlFamily(cfg.modelType(), p, cfg.imageTokenId(), video);
    }

    private static void agree(JsonNode config, String f, String path, int value, String other) {
        Optional<Integer> v = JsonFields.optionalPositiveInt(config, f, path);
        if (v.isPresent() && v.get() != value) {
            throw new InvalidInputException(f + ": " + path + " is " + v.get() + " but " + other + " is " + value);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ImageProcessor imageProcessor() {
        return vision;
    }

    @Override
    public Optional<VideoSupport> video() {
        return video;
    }

    @Override
    public int positionRows() {
        return 3;
    }

    @Override
    public long[][] positionIds(long[] ids, ImageLayout layout) {
        return QwenRopeIndex.positionIds(ids, imageTokenId, layout.grid(), processor.mergeSize());
    }

    @Override
    public long[][] positionIds(long[] ids, List<ImageLayout> layouts) {
        int[][] grids = new int[layouts.size()][];
        for (int i = 0; i < grids.length; i++) {
            grids[i] = layouts.get(i).grid();
        }
        return QwenRopeIndex.positionIds(ids, imageTokenId, grids, processor.mergeSize());
    }

    @Override
    public String toString() {
        return name + " " + processor;
    }

    /** {@link QwenImageProcessor} as the vision encoder's feeder. */
    private static final class Vision implements ImageProcessor {
        private final QwenImageProcessor p;

        Vision(QwenImageProcessor p) {
            this.p = p;
        }

        /** One image per run: the encoder attends over all patches of a run under a block mask, quadratic in images. */
        @Override
        public int imagesPerVisionRun() {
            return 1;
        }

        @Override
        public void validate(RgbImage image) {
            p.validate(image);
        }

        @Override
        public ImageLayout layout(int width, int height) {
            return p.layout(width, height);
        }

        @Override
        public ImageLayout probeLayout() {
            int side = 2 * p.patchSize() * p.mergeSize();
            return layout(side, side);
        }

        @Override
        public void checkVisionInputs(Map<String, NodeInfo> inputs, String file) {
            p.checkVisionInputs(inputs, file);
        }

        @Override
        public Map<String, OnnxTensor> visionInputs(List<ImageInput> images, ImageLayout layout, TensorScope scope) throws OrtException {
            return p.visionInputs(images, layout, scope);
        }
    }
}
