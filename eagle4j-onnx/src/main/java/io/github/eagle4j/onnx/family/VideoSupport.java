package io.github.eagle4j.onnx.family;

import io.github.eagle4j.VideoClip;
import io.github.eagle4j.VideoSampling;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;

import java.util.List;

/**
 * How a model family takes a video (docs/frames.md): its frame sampling, the token that stands for the video, the
 * frames grouped into the vision encoder's temporal patches, and the positions of the video's tokens. The vision
 * encoder gets one temporal patch per run as if it were an image, which is what Qwen-VL's encoder computes for a video
 * (its attention and rotary positions never cross a temporal patch), so the patches' features, in order, are the
 * video's.
 */
public interface VideoSupport {
    /** The {@code config.json} field of the video token, for messages. */
    String TOKEN_FIELD = "video_token_id";

    /** The token id that stands for one merged patch of the video ({@code video_token_id}). */
    long tokenId();

    /** How frames are sampled, with the video processor's defaults. */
    VideoSampling sampling();

    /** The preprocessing of one temporal patch ({@link ImageInput#temporalPatch}): its layout and vision inputs. */
    ImageProcessor processor();

    /**
     * The layouts of the clip's temporal patches, in order (a frame count that is not a multiple of the patch's frames
     * ends with a patch that repeats the last frame, as the processor pads).
     *
     * @throws io.github.eagle4j.InvalidInputException when the frames differ in size, are too many for the model, or a
     *                                                 frame is refused by the processor
     */
    List<ImageLayout> layouts(VideoClip clip);

    /** One entry's frames, in order, grouped into temporal patches. */
    List<ImageInput> temporalPatches(List<ImageInput> frames);

    /** Position ids of a sequence whose one run of video tokens is the clip's: {@code [rows][ids.length]}. */
    long[][] positionIds(long[] ids, VideoClip clip);
}
