package io.github.eagle4j.onnx.family;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.VideoSampling;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.onnx.hub.JsonFields;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;
import io.github.eagle4j.onnx.image.QwenImageProcessor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Video input of the Qwen-VL line, as transformers 5's {@code Qwen2VLVideoProcessor} and {@code get_rope_index} take
 * it: frames sampled by {@link VideoSampling}, grouped {@code temporal_patch_size} at a time (the last frame repeated
 * when the count is odd), {@code <|video_pad|>} repeated {@code T·h·w / merge²} times, and M-RoPE positions whose
 * temporal row counts temporal patches, spaced for Qwen2.5-VL by {@code tokens_per_second · int(second_per_grid_t)}
 * with {@code second_per_grid_t = temporal_patch_size / sampled fps} (a float32, truncated, as transformers does).
 */
final class QwenVideo implements VideoSupport {
    /** The video processor's settings file, when the model has one. */
    static final String VIDEO_PREPROCESSOR_CONFIG = "video_preprocessor_config.json";

    private final String modelType;
    private final long tokenId;
    private final QwenImageProcessor processor;
    private final ImageProcessor feeder;
    private final VideoSampling sampling;
    private final int mergeSize;
    /** Qwen2.5-VL's {@code vision_config.tokens_per_second}; 0 for Qwen2-VL, whose temporal positions count 0, 1, 2, ... */
    private final int tokensPerSecond;

    private QwenVideo(String modelType, long tokenId, QwenImageProcessor processor, ImageProcessor feeder, VideoSampling sampling,
                      int tokensPerSecond) {
        this.modelType = modelType;
        this.tokenId = tokenId;
        this.processor = processor;
        this.feeder = feeder;
        this.sampling = sampling;
        this.mergeSize = processor.mergeSize();
        this.tokensPerSecond = tokensPerSecond;
    }

    /**
     * The model's video input, when {@code config.json} names a video token: the video processor's settings are read
     * as transformers reads them ({@code processor_config.json}'s {@code video_processor}, else
     * {@code video_preprocessor_config.json}, else {@code preprocessor_config.json}).
     *
     * @param feeder wraps a processor as the vision encoder's feeder
     */
    static Optional<VideoSupport> open(ModelDirectory dir, String modelType, JsonNode config,
                                       java.util.function.Function<QwenImageProcessor, ImageProcessor> feeder) {
        Optional<Long> token = JsonFields.optionalLong(config, ModelDirectory.CONFIG, TOKEN_FIELD);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        JsonNode c;
        String f;
        Optional<JsonNode> nested = dir.optionalJson(ModelDirectory.PROCESSOR_CONFIG).map(j -> j.get("video_processor"))
                .filter(j -> j != null && j.isObject());
        if (nested.isPresent()) {
            c = nested.get();
            f = ModelDirectory.PROCESSOR_CONFIG + " video_processor";
        } else if (dir.optional(VIDEO_PREPROCESSOR_CONFIG).isPresent()) {
            c = dir.json(VIDEO_PREPROCESSOR_CONFIG);
            f = VIDEO_PREPROCESSOR_CONFIG;
        } else {
            c = dir.json(ModelDirectory.PREPROCESSOR_CONFIG);
            f = ModelDirectory.PREPROCESSOR_CONFIG;
        }
        QwenImageProcessor p = QwenImageProcessor.fromVideoJson(c, f);
        VideoSampling sampling = new VideoSampling(
                JsonFields.optionalBoolean(c, f, "do_sample_frames").orElse(false),
                JsonFields.optionalDouble(c, f, "fps").orElse(null),
                JsonFields.optionalPositiveInt(c, f, "num_frames").orElse(null),
                p.temporalPatchSize(),
                JsonFields.optionalLong(c, f, "min_frames").orElse(4L).intValue(),
                JsonFields.optionalPositiveInt(c, f, "max_frames").orElse(768));
        int tps = 0;
        if (modelType.equals("qwen2_5_vl")) {
            tps = JsonFields.optionalLong(config, ModelDirectory.CONFIG, "vision_config.tokens_per_second").orElse(4L).intValue();
        }
        return Optional.of(new QwenVideo(modelType, token.get(), p, feeder.apply(p), sampling, tps));
    }

    @Override
    public long tokenId() {
        return tokenId;
    }

    @Override
    public VideoSampling sampling() {
        return sampling;
    }

    @Override
    public ImageProcessor processor() {
        return feeder;
    }

    @Override
    public List<ImageLayout> layouts(VideoClip clip) {
        FrameLayout frames = clip.frames();
        FrameLayout.Frame first = frames.frame(0);
        for (int k = 1; k < frames.count(); k++) {
            FrameLayout.Frame f = frames.frame(k);
            if (f.width() != first.width() || f.height() != first.height()) {
                throw new InvalidInputException("the frames of a video must have one size for model_type " + modelType + ": frame 0 is "
                        + first.width() + "x" + first.height() + ", frame " + k + " is " + f.width() + "x" + f.height());
            }
        }
        if (frames.count() > sampling.maxFrames()) {
            throw new InvalidInputException("the model takes at most " + sampling.maxFrames() + " video frames (max_frames of its video processor), got "
                    + frames.count());
        }
        feeder.validate(RgbImage.filled(first.width(), first.height(), 0));
        ImageLayout patch = feeder.layout(first.width(), first.height());
        return Collections.nCopies(temporalPatches(frames.count()), patch);
    }

    private int temporalPatches(int frames) {
        int t = processor.temporalPatchSize();
        return (frames + t - 1) / t;
    }

    @Override
    public List<ImageInput> temporalPatches(List<ImageInput> frames) {
        int t = processor.temporalPatchSize();
        List<ImageInput> out = new ArrayList<>(temporalPatches(frames.size()));
        for (int from = 0; from < frames.size(); from += t) {
            List<ImageInput> group = new ArrayList<>(frames.subList(from, Math.min(frames.size(), from + t)));
            while (group.size() < t) {
                group.add(group.get(group.size() - 1));
            }
            out.add(ImageInput.temporalPatch(group));
        }
        return out;
    }

    @Override
    public long[][] positionIds(long[] ids, VideoClip clip) {
        FrameLayout.Frame f = clip.frames().frame(0);
        int[] g = feeder.layout(f.width(), f.height()).grid();
        int[] grid = {temporalPatches(clip.count()), g[1], g[2]};
        return QwenRopeIndex.videoPositionIds(ids, tokenId, grid, mergeSize, timeInterval(clip.sampledFps()));
    }

    /** Temporal positions between two temporal patches: 1 for Qwen2-VL; Qwen2.5-VL's as transformers computes it. */
    long timeInterval(double sampledFps) {
        if (tokensPerSecond == 0) {
            return 1;
        }
        // second_per_grid_ts reaches the model as a float32 tensor and get_rope_index takes int() of it
        float secondPerGrid = (float) (processor.temporalPatchSize() / sampledFps);
        return (long) tokensPerSecond * (long) secondPerGrid;
    }

    @Override
    public String toString() {
        return "QwenVideo[" + processor + ", " + sampling + ", tokens_per_second " + tokensPerSecond + "]";
    }
}
