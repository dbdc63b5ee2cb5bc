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
import io.github.eagle4j.onnx.image.Idefics3ImageProcessor;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;
import io.github.eagle4j.onnx.runtime.GraphNodes;
import io.github.eagle4j.onnx.runtime.TensorScope;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Idefics3 and SmolVLM ({@code model_type} {@code idefics3}, e.g. HuggingFaceTB/SmolVLM-256M-Instruct, and
 * {@code smolvlm}, SmolVLM2, whose exports take the same graphs): images cut into tiles plus a global image
 * ({@link Idefics3ImageProcessor}), {@code image_seq_len} image tokens per tile, the placeholder expansion of
 * transformers' {@code Idefics3Processor}, plain cumulative positions.
 *
 * <p>The vision encoder takes {@code pixel_values [batch, tiles, 3, S, S]} and {@code pixel_attention_mask}
 * (bool {@code [batch, tiles, S, S]}, all true: images of one size have the same tiles, so there is no padding) and
 * emits {@code [batch × tiles, image_seq_len, hidden]}, scattered in order into the image-token positions, which
 * the expansion lays out tile by tile in the same order (rows, then the global image).
 */
public final class Idefics3Family implements ModelFamily {
    static final String FAKE_TOKEN = "<fake_token_around_image>";
    static final String GLOBAL_TOKEN = "<global-img>";

    private final String name;
    private final TiledVision vision;

    private Idefics3Family(String name, TiledVision vision) {
        this.name = name;
        this.vision = vision;
    }

    /**
     * Reads {@code preprocessor_config.json} (or the {@code image_processor} object of {@code processor_config.json},
     * as transformers 5 saves it), {@code image_seq_len} from {@code processor_config.json} (else from
     * {@code config.json}), and cross-checks them with {@code config.json}'s vision sizes.
     *
     * @throws InvalidInputException naming the file and field that is missing or does not fit
     */
    static Idefics3Family open(ModelDirectory dir, ModelConfig cfg, JsonNode config) {
        String f = ModelDirectory.CONFIG;
        Optional<JsonNode> processorConfig = dir.optionalJson(ModelDirectory.PROCESSOR_CONFIG);
        Idefics3ImageProcessor processor;
        Optional<JsonNode> pre = dir.optionalJson(ModelDirectory.PREPROCESSOR_CONFIG);
        if (pre.isPresent()) {
            processor = Idefics3ImageProcessor.fromJson(pre.get(), ModelDirectory.PREPROCESSOR_CONFIG);
        } else if (processorConfig.isPresent() && processorConfig.get().path("image_processor").isObject()) {
            processor = Idefics3ImageProcessor.fromJson(processorConfig.get().get("image_processor"),
                    ModelDirectory.PROCESSOR_CONFIG + " image_processor");
        } else {
            throw new InvalidInputException("model directory " + dir + " lacks " + ModelDirectory.PREPROCESSOR_CONFIG
                    + " (and " + ModelDirectory.PROCESSOR_CONFIG + " has no image_processor)");
        }

        int imageSize = JsonFields.requirePositiveInt(config, f, "vision_config.image_size");
        int patch = JsonFields.requirePositiveInt(config, f, "vision_config.patch_size");
        int scale = JsonFields.optionalPositiveInt(config, f, "scale_factor").orElse(2);
        if (processor.tileSize() != imageSize) {
            throw new InvalidInputException(ModelDirectory.PREPROCESSOR_CONFIG + ": max_image_size.longest_edge " + processor.tileSize()
                    + " differs from " + f + " vision_config.image_size " + imageSize + " (the vision encoder's tile size)");
        }
        int side = imageSize / patch;
        if (imageSize % patch != 0 || side % scale != 0) {
            throw new InvalidInputException(f + ": vision_config.image_size " + imageSize + " / patch_size " + patch
                    + " is not a whole multiple of scale_factor " + scale);
        }
        int fromConfig = side * side / (scale * scale);
        int seqLen = fromConfig;
        if (processorConfig.isPresent()) {
            Optional<Integer> p = JsonFields.optionalPositiveInt(processorConfig.get(), ModelDirectory.PROCESSOR_CONFIG, "image_seq_len");
            if (p.isPresent() && p.get() != fromConfig) {
                throw new InvalidInputException(ModelDirectory.PROCESSOR_CONFIG + ": image_seq_len " + p.get() + " does not match " + f
                        + ", whose vision encoder emits (image_size " + imageSize + " / patch_size " + patch + ")² / scale_factor "
                        + scale + "² = " + fromConfig + " features per tile");
            }
        }
        return new Idefics3Family(cfg.modelType(), new TiledVision(processor, seqLen));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ImageProcessor imageProcessor() {
        return vision;
    }

    /** Image tokens per tile ({@code image_seq_len}). */
    public int imageSeqLen() {
        return vision.seqLen;
    }

    @Override
    public String expandImage(String imageToken, ImageLayout layout) {
        return expansion(imageToken, layout.grid(0), layout.grid(1), vision.seqLen);
    }

    @Override
    public int positionRows() {
        return 1;
    }

    @Override
    public long[][] positionIds(long[] ids, ImageLayout layout) {
        return ModelFamily.sequentialPositions(ids.length);
    }

    /**
     * The text that replaces the image placeholder (transformers' {@code Idefics3Processor}): per tile
     * {@code <fake_token_around_image><row_r_col_c>} + the image token × {@code seqLen}, a newline after each row,
     * then a newline and the global image {@code <fake_token_around_image><global-img>} + image tokens +
     * {@code <fake_token_around_image>}; an unsplit image is the global part alone, without newlines.
     */
    public static String expansion(String imageToken, int rows, int cols, int seqLen) {
        String run = imageToken.repeat(seqLen);
        String global = FAKE_TOKEN + GLOBAL_TOKEN + run + FAKE_TOKEN;
        if (rows == 0 && cols == 0) {
            return global;
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 1; r <= rows; r++) {
            for (int c = 1; c <= cols; c++) {
                sb.append(FAKE_TOKEN).append("<row_").append(r).append("_col_").append(c).append('>').append(run);
            }
            sb.append('\n');
        }
        return sb.append('\n').append(global).toString();
    }

    /** The tiling processor as the vision encoder's feeder. */
    private static final class TiledVision implements ImageProcessor {
        private static final String PIXELS = "pixel_values";
        private static final String MASK = "pixel_attention_mask";

        private final Idefics3ImageProcessor processor;
        private final int seqLen;

        TiledVision(Idefics3ImageProcessor processor, int seqLen) {
            this.processor = processor;
            this.seqLen = seqLen;
        }

        @Override
        public void validate(RgbImage image) {
            processor.validate(image);
        }

        @Override
        public ImageLayout layout(int width, int height) {
            Idefics3ImageProcessor.Geometry g = processor.geometry(width, height);
            return new ImageLayout(width, height, g.tiles() * seqLen, new int[] {g.rows(), g.cols()});
        }

        /**
         * The cheapest valid image: one tile without splitting; with splitting, a one-pixel-high strip as wide as
         * {@code size.longest_edge}, which becomes one row of tiles plus the global image (a square would be the
         * most tiles, 17 for SmolVLM).
         */
        @Override
        public ImageLayout probeLayout() {
            if (!processor.splitting()) {
                return layout(processor.tileSize(), processor.tileSize());
            }
            return layout(processor.longestEdge(), 1);
        }

        @Override
        public void checkVisionInputs(Map<String, NodeInfo> inputs, String file) {
            String contract = "; an Idefics3 vision encoder takes pixel_values FLOAT [batch, tiles, 3, height, width] and "
                    + "pixel_attention_mask BOOL [batch, tiles, height, width]";
            long[] px = GraphNodes.require(inputs, PIXELS, "input", file, OnnxJavaType.FLOAT, 5, contract).getShape();
            long[] m = GraphNodes.require(inputs, MASK, "input", file, OnnxJavaType.BOOL, 4, contract).getShape();
            GraphNodes.requireOnly(inputs, Set.of(PIXELS, MASK), file, contract);
            int s = processor.tileSize();
            if (px[2] >= 0 && px[2] != 3) {
                throw new InvalidInputException(file + ": pixel_values has " + px[2] + " channels, expected 3");
            }
            if ((px[3] >= 0 && px[3] != s) || (px[4] >= 0 && px[4] != s)) {
                throw new InvalidInputException(ModelDirectory.PREPROCESSOR_CONFIG + ": tiles of " + s + "x" + s + " do not fit " + file
                        + " pixel_values " + px[4] + "x" + px[3]);
            }
            if ((m[2] >= 0 && m[2] != s) || (m[3] >= 0 && m[3] != s)) {
                throw new InvalidInputException(file + ": pixel_attention_mask is " + m[3] + "x" + m[2] + ", but the tiles are " + s + "x" + s);
            }
        }

        @Override
        public Map<String, OnnxTensor> visionInputs(List<ImageInput> images, ImageLayout layout, TensorScope scope) throws OrtException {
            int tiles = layout.imageTokens() / seqLen;
            int s = processor.tileSize();
            int batch = images.size();
            FloatBuffer px = scope.floatBuffer((long) batch * tiles * processor.valuesPerTile());
            for (ImageInput img : images) {
                processor.preprocess(img, px);
            }
            px.rewind();
            OnnxTensor pixels = scope.floats(px, batch, tiles, 3, s, s);
            ByteBuffer mask = scope.byteBuffer((long) batch * tiles * s * s);
            byte[] ones = new byte[s * s];
            Arrays.fill(ones, (byte) 1);
            for (int t = 0; t < batch * tiles; t++) {
                mask.put(ones);
            }
            return Map.of(PIXELS, pixels, MASK, scope.bytes(mask, OnnxJavaType.BOOL, batch, tiles, s, s));
        }
    }
}
