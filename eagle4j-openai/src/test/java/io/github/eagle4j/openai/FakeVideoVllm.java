package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.VideoSampling;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.onnx.OnnxModel;
import io.github.eagle4j.onnx.text.EncodedConversation;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * A loopback vLLM server for a Qwen2-VL or Qwen2.5-VL model with video input (a fixture under fixtures/models run
 * in-process). It
 * reads a {@code video_url} part as vLLM does (vllm/multimodal/media/video.py, {@code VideoMediaIO.load_base64}): a
 * {@code data:video/jpeg;base64,} URL is split at commas, the first {@code media_io_kwargs.video.num_frames} parts
 * (default 32; -1 for all) are each opened as an image whatever their format (PIL's {@code Image.open}), and the
 * video's metadata is {@code fps} (default 1), {@code frames_indices} and {@code total_num_frames} from
 * {@code media_io_kwargs}. The model's video processor then samples the frames again unless
 * {@code mm_processor_kwargs.do_sample_frames} is false (the fixture's processor samples at 2 fps), as transformers does
 * with the metadata's rate. The frames, as one video with the metadata's timestamps and sampled rate, go to the
 * in-process model: the answer's prompt positions carry its teacher-forced log-probabilities (the other positions
 * carry 0: the client reads only the answer's), and a request without {@code prompt_logprobs} its greedy answer.
 */
final class FakeVideoVllm implements AutoCloseable {
    static final Path QWEN2 = TinyModel.REPO.resolve("fixtures/models/tiny-random-qwen2-vl");
    static final Path QWEN25 = TinyModel.REPO.resolve("fixtures/models/tiny-random-qwen2_5-vl");
    /** vLLM's default {@code num_frames} for a video sent as frames. */
    static final int DEFAULT_NUM_FRAMES = 32;

    final LoopbackServer server = new LoopbackServer();
    final OnnxModel model;
    /** The served name: the model folder's name. */
    final String served;
    /** The frame count of every video the chat route received, in arrival order. */
    final Queue<Integer> framesPerRequest = new ConcurrentLinkedQueue<>();
    /** Whether the server refuses video parts (a model without video input). */
    volatile boolean refuseVideo;

    /** Serves the Qwen-VL fixture in {@code dir}. */
    FakeVideoVllm(Path dir) {
        model = OnnxModel.open(dir);
        served = dir.getFileName().toString();
        server.route(VllmModel.MODELS, (b, ex) -> models());
        server.route(VllmModel.TOKENIZE, (b, ex) -> tokenize(b));
        server.route(VllmModel.CHAT, (b, ex) -> chat(b));
    }

    String url() {
        return server.url();
    }

    private JsonNode models() {
        ObjectNode r = Json.object().put("object", "list");
        r.putArray("data").addObject().put("id", served).put("object", "model").put("max_model_len", model.maxPositions());
        return r;
    }

    /** The conversation of a request: template messages, the prompt, the answer (or null) and the video (or null). */
    private record Conversation(List<Map<String, Object>> messages, String prompt, String answer, List<RgbImage> frames) {
    }

    private Conversation conversation(JsonNode body) throws LoopbackServer.Status {
        List<Map<String, Object>> messages = new ArrayList<>();
        String prompt = null;
        String answer = null;
        List<RgbImage> frames = null;
        for (JsonNode m : body.path("messages")) {
            Map<String, Object> msg = new HashMap<>();
            String role = m.path("role").asText();
            msg.put("role", role);
            List<Map<String, Object>> parts = new ArrayList<>();
            for (JsonNode p : m.path("content")) {
                switch (p.path("type").asText()) {
                    case "text" -> {
                        parts.add(Map.of("type", "text", "text", p.path("text").asText()));
                        if (role.equals("user")) {
                            prompt = p.path("text").asText();
                        } else {
                            answer = p.path("text").asText();
                        }
                    }
                    case "video_url" -> {
                        if (refuseVideo) {
                            throw new LoopbackServer.Status(400, "At most 0 video(s) may be provided in one prompt.");
                        }
                        frames = frames(p.path("video_url").path("url").asText(), body.path("media_io_kwargs").path("video"));
                        parts.add(Map.of("type", "video"));
                    }
                    default -> throw new LoopbackServer.Status(400, "unknown content part type " + p.path("type"));
                }
            }
            msg.put("content", parts);
            messages.add(msg);
        }
        return new Conversation(messages, prompt, answer, frames);
    }

    /** VideoMediaIO.load_base64 for {@code video/jpeg}: base64 images joined by commas, each opened by its content. */
    static List<RgbImage> frames(String url, JsonNode io) throws LoopbackServer.Status {
        if (!url.startsWith(VllmProtocol.VIDEO_FRAMES_PREFIX)) {
            throw new LoopbackServer.Status(400, "the loopback server reads only data:video/jpeg;base64 frame sequences");
        }
        int numFrames = io.path("num_frames").asInt(DEFAULT_NUM_FRAMES);
        if (numFrames == 0) {
            throw new LoopbackServer.Status(400, "num_frames must be greater than 0 or -1");
        }
        String[] parts = url.substring(VllmProtocol.VIDEO_FRAMES_PREFIX.length()).split(",", -1);
        int n = numFrames > 0 ? Math.min(numFrames, parts.length) : parts.length;
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(parts[i])));
                if (img == null) {
                    throw new LoopbackServer.Status(400, "cannot identify image file (frame " + i + ")");
                }
                out.add(ImageFiles.toRgb(img));
            } catch (IOException | IllegalArgumentException e) {
                throw new LoopbackServer.Status(400, "bad frame " + i + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** The frames the model receives and their clip: the metadata of media_io_kwargs, sampled again unless told not to. */
    private Map.Entry<List<RgbImage>, VideoClip> video(List<RgbImage> frames, JsonNode body) throws LoopbackServer.Status {
        JsonNode io = body.path("media_io_kwargs").path("video");
        int n = frames.size();
        double fps = io.path("fps").asDouble(1);
        int[] indices = io.has("frames_indices")
                ? IntStream.range(0, io.get("frames_indices").size()).map(i -> io.get("frames_indices").get(i).asInt()).toArray()
                : IntStream.range(0, n).toArray();
        int total = io.path("total_num_frames").asInt(n);
        if (indices.length != n) {
            throw new LoopbackServer.Status(400, "frames_indices length (" + indices.length + ") must match number of frames sent (" + n + ")");
        }
        if (total < n) {
            throw new LoopbackServer.Status(400, "total_num_frames (" + total + ") must be >= number of frames sent (" + n + ")");
        }
        VideoSampling sampling = model.videoSampling().orElseThrow();
        JsonNode doSample = body.path("mm_processor_kwargs").path("do_sample_frames");
        if (!(doSample.isBoolean() && !doSample.asBoolean()) && sampling.doSample()) {
            // the processor samples the frames it was given, at the metadata's rate, as from a decoded video
            int[] again = sampling.indices(n, fps, null, null);
            List<RgbImage> kept = new ArrayList<>();
            int[] keptIndices = new int[again.length];
            for (int i = 0; i < again.length; i++) {
                kept.add(frames.get(again[i]));
                keptIndices[i] = indices[again[i]];
            }
            frames = kept;
            indices = keptIndices;
            n = kept.size();
        }
        double[] timestamps = new double[n];
        for (int i = 0; i < n; i++) {
            timestamps[i] = indices[i] / fps;
        }
        // transformers' VideoMetadata.sampled_fps
        double sampledFps = (double) n / total * fps;
        framesPerRequest.add(n);
        return Map.entry(frames, new VideoClip(FrameLayout.of(frames), indices, timestamps, sampledFps));
    }

    private JsonNode tokenize(JsonNode body) throws LoopbackServer.Status {
        checkModel(body);
        Conversation c = conversation(body);
        if (c.frames() != null) {
            throw new LoopbackServer.Status(400, "the loopback server tokenizes text-only conversations");
        }
        String text = TinyModel.render(model.chatTemplate(), c.messages(), body.path("add_generation_prompt").asBoolean(true),
                body.path("continue_final_message").asBoolean(false));
        return FakeVllm.tokenizeReply(model.tokenizer().encode(text), model.maxPositions(), body);
    }

    private void checkModel(JsonNode body) throws LoopbackServer.Status {
        if (!body.path("model").asText().equals(served)) {
            throw new LoopbackServer.Status(404, "The model `" + body.path("model").asText() + "` does not exist.");
        }
    }

    private JsonNode chat(JsonNode body) throws LoopbackServer.Status {
        checkModel(body);
        Conversation c = conversation(body);
        if (c.frames() == null) {
            throw new LoopbackServer.Status(400, "the loopback video server needs a video part");
        }
        Map.Entry<List<RgbImage>, VideoClip> v = video(c.frames(), body);
        List<RgbImage> frames = v.getKey();
        VideoClip clip = v.getValue();
        ObjectNode r = Json.object();
        r.put("id", "chatcmpl-video");
        r.put("object", "chat.completion");
        r.put("model", served);
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("index", 0);
        JsonNode pl = body.get("prompt_logprobs");
        if (pl == null || pl.isNull()) {
            VisionLanguageModel.Generation g = model.generate(frames, clip, c.prompt(), body.path("max_tokens").asInt(16));
            choice.putObject("message").put("role", "assistant").put("content", g.text());
            choice.put("finish_reason", "stop");
            return r;
        }
        boolean open = body.path("continue_final_message").asBoolean(false);
        if (c.answer() == null || (!open && body.path("add_generation_prompt").asBoolean(true))) {
            throw new LoopbackServer.Status(400, "the loopback video server scores an assistant turn, open or closed");
        }
        EncodedConversation enc = model.encode(c.prompt(), c.answer(), clip);
        long endOfTurn = model.tokenizer().id("<|im_end|>").orElseThrow();
        long[] full = enc.fullIds();
        int m = full.length - enc.answerStart();
        long[] ids;
        if (open) {
            // the open turn ends with the answer's text: the teacher-forced ids without the end-of-turn token
            while (m > 0 && full[enc.answerStart() + m - 1] == endOfTurn) {
                m--;
            }
            ids = java.util.Arrays.copyOf(full, enc.answerStart() + m);
        } else {
            // the closed turn: what the template writes after the end-of-turn token follows it
            long[] closed = model.tokenizer().encode(TinyModel.render(model.chatTemplate(), c.messages(), false, false)).ids();
            int last = closed.length - 1;
            while (last >= 0 && closed[last] != endOfTurn) {
                last--;
            }
            long[] after = java.util.Arrays.copyOfRange(closed, last + 1, closed.length);
            ids = java.util.Arrays.copyOf(full, full.length + after.length);
            System.arraycopy(after, 0, ids, full.length, after.length);
        }
        double[] p;
        try (TokenScorer scorer = model.scorer(c.prompt(), c.answer(), IntStream.range(0, m).boxed().toList(), clip)) {
            p = scorer.score(List.of(clip.frames().compose(frames)))[0];
        }
        int start = enc.answerStart();
        choice.putObject("message").put("role", "assistant").put("content", "");
        choice.put("finish_reason", "length");
        ArrayNode promptIds = r.putArray("prompt_token_ids");
        ArrayNode lps = r.putArray("prompt_logprobs");
        for (int i = 0; i < ids.length; i++) {
            promptIds.add(ids[i]);
            if (i == 0) {
                lps.addNull();
                continue;
            }
            int j = i - start;
            double lp = j >= 0 && j < m ? Math.max(Math.log(p[j]), VllmProtocol.CLAMP) : 0.0;
            lps.addObject().putObject(Long.toString(ids[i])).put("logprob", lp).put("rank", 1);
        }
        r.putObject("usage").put("prompt_tokens", ids.length);
        return r;
    }

    @Override
    public void close() {
        server.close();
        model.close();
    }
}
