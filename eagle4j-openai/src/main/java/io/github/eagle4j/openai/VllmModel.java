package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.VideoSampling;
import io.github.eagle4j.text.PromptMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model served by vLLM's OpenAI-compatible server ({@code vllm serve}). Scoring is exact teacher forcing: one
 * {@code /v1/chat/completions} request per image with the answer as the final assistant message and
 * {@code prompt_logprobs: 1} (docs/backends.md, "vLLM requests"); the answer's positions come from {@code /tokenize}. Generation
 * is a greedy chat completion on the same server.
 *
 * <p>Run the server with {@code --no-enable-prefix-caching}: every scorer checks, on its first call, that the same image
 * scored twice in a row gives the same probabilities, and stops with an error naming that flag when it does not.
 */
public final class VllmModel extends ServerModel {
    static final String CHAT = "/v1/chat/completions";
    static final String TOKENIZE = "/tokenize";
    static final String MODELS = "/v1/models";
    /**
     * How {@code --video} samples a video for vLLM, which has no endpoint that serves the model's video processor
     * settings: 2 frames per second (Qwen-VL's usual rate), 4 to 32 frames (32: vLLM's default {@code num_frames} for a
     * video sent as frames), temporal patches of 2 (Qwen2-VL and Qwen2.5-VL); a count or rate asked for overrides it.
     */
    static final VideoSampling VIDEO_SAMPLING = new VideoSampling(true, 2.0, null, 2, 4, 32);

    /** The messages sent before every question (a system prompt, earlier turns); empty for a single question. */
    private final List<PromptMessage> history;

    private VllmModel(ServerSettings settings, Secret key, EndpointPool pool, String servedModel) {
        super(settings, key, pool, servedModel);
        this.history = List.of();
    }

    /** A view of {@code owner} with {@code history}: the same endpoints and threads. */
    private VllmModel(VllmModel owner, List<PromptMessage> history) {
        super(owner);
        this.history = List.copyOf(history);
    }

    /**
     * This model with {@code history} sent before every question as chat messages, which the server's chat template
     * renders (docs/text.md, conversations): every answer and scorer of the view reads the conversation, and its
     * scorers' tasks carry it. The view shares this model's endpoints and threads; closing it closes nothing. The
     * conversation is tokenised once here, with a question after it, so that one the server's chat template cannot
     * render fails now.
     *
     * @throws InvalidInputException when the server refuses the conversation (its message)
     */
    @Override
    public VllmModel withHistory(List<PromptMessage> history) {
        if (history.isEmpty() && this.history.isEmpty()) {
            return this;
        }
        checkHistory(history);
        VllmModel view = new VllmModel(this, history);
        view.promptIds("?");
        return view;
    }

    /** The messages sent before every question. */
    List<PromptMessage> history() {
        return history;
    }

    static VllmModel open(ServerSettings settings, Secret key) {
        EndpointPool pool = EndpointPool.of(settings, key);
        String name = servedModel(pool, settings.servedModel());
        return new VllmModel(settings, key, pool, name);
    }

    /** The served name: the one given (checked against {@code /v1/models}), or the only one the server lists. */
    static String servedModel(EndpointPool pool, String given) {
        EndpointPool.Reply r = pool.get(MODELS);
        List<String> ids = new ArrayList<>();
        for (JsonNode m : r.json().path("data")) {
            if (m.path("id").isTextual()) {
                ids.add(m.get("id").asText());
            }
        }
        if (given != null) {
            if (!ids.isEmpty() && !ids.contains(given)) {
                throw InvalidInputException.forInput(ServerSettings.SERVED_MODEL, " " + given + " is not served by " + r.endpoint() + " (it serves "
                        + String.join(", ", ids) + ")");
            }
            return given;
        }
        if (ids.size() == 1) {
            return ids.get(0);
        }
        throw InvalidInputException.forInput(ServerSettings.SERVED_MODEL, ids.isEmpty()
                ? " is needed: " + r.endpoint() + MODELS + " lists no model"
                : " is needed: " + r.endpoint() + " serves several models (" + String.join(", ", ids) + "); choose one");
    }

    @Override
    public Generation generate(RgbImage image, String prompt, int maxNewTokens) {
        checkImage(image);
        return generate(List.of(image), prompt, maxNewTokens);
    }

    /** The greedy answer to a prompt with several images: one image part per image, in order, in one request. */
    @Override
    public Generation generate(List<RgbImage> images, String prompt, int maxNewTokens) {
        checkImages(images);
        checkText(prompt, "prompt");
        checkMaxNewTokens(maxNewTokens);
        return chat(VllmProtocol.generateRequest(servedModel, history, VllmProtocol.userMessage(PngDataUrl.of(images), prompt),
                maxNewTokens), prompt);
    }

    /** Sends a generation request and reads its answer. */
    private Generation chat(ObjectNode request, String prompt) {
        EndpointPool.Reply r = pool.post(CHAT, Json.bytes(request));
        JsonNode choice = r.json().path("choices").path(0);
        JsonNode content = choice.path("message").path("content");
        if (!content.isTextual()) {
            throw new ScoringException(r.where(CHAT) + ": the answer has no choices[0].message.content");
        }
        String finish = choice.path("finish_reason").asText("");
        return generation(prompt, content.asText(), !finish.equals("length"));
    }

    /** One video part of lossless frames, sampled by eagle4j only. */
    @Override
    public String videoTransport() {
        return "vllm: one video_url part, the frames as PNG in a data:video/jpeg frame sequence, do_sample_frames false"
                + " (docs/backends.md)";
    }

    /** {@link #VIDEO_SAMPLING}: vLLM takes a video as its frames (docs/backends.md, "Video through vLLM"). */
    @Override
    public Optional<VideoSampling> videoSampling() {
        return Optional.of(VIDEO_SAMPLING);
    }

    /**
     * The greedy answer to a prompt with a video: the frames travel as one lossless frame-sequence video part, with
     * {@code do_sample_frames: false} so the server's processor takes exactly these frames.
     */
    @Override
    public Generation generate(List<RgbImage> frames, VideoClip video, String prompt, int maxNewTokens) {
        checkVideo(frames, video);
        checkText(prompt, "prompt");
        checkMaxNewTokens(maxNewTokens);
        ObjectNode user = VllmProtocol.videoMessage(PngDataUrl.base64(frames), prompt);
        return chat(VllmProtocol.withVideo(VllmProtocol.generateRequest(servedModel, history, user, maxNewTokens), video), prompt);
    }

    /**
     * A scorer whose canvases are a video's frames side by side, cut into the frames and sent as one video part each
     * (see {@link #generate(List, VideoClip, String, int)}).
     */
    @Override
    public VllmTokenScorer scorer(String prompt, String answer, List<Integer> targetIndices, VideoClip video) {
        checkVideo(null, video);
        VllmTokenScorer one = scorer(prompt, answer, targetIndices);
        return new VllmTokenScorer(this, one.task(), layout(prompt, answer), video);
    }

    @Override
    public VllmTokenScorer scorer(String prompt, Generation generation, List<Integer> targetIndices, VideoClip video) {
        return scorer(prompt, generation.text(), targetIndices, video);
    }

    private static void checkVideo(List<RgbImage> frames, VideoClip video) {
        if (frames != null && frames.size() != video.count()) {
            throw new InvalidInputException(frames.size() + " frames for a video clip of " + video.count());
        }
        if (video.count() > VIDEO_SAMPLING.maxFrames()) {
            throw new InvalidInputException("vLLM takes at most " + VIDEO_SAMPLING.maxFrames() + " frames of a video sent as frames"
                    + " (its default num_frames), got " + video.count());
        }
    }

    @Override
    AnswerLayout computeLayout(String prompt, String answer) {
        List<VllmProtocol.Tokens> t = parallel(tasks(List.of("gen", "open", "closed"), mode -> {
            EndpointPool.Reply r = pool.post(TOKENIZE, Json.bytes(VllmProtocol.tokenizeRequest(servedModel, history, prompt, answer, mode)));
            return VllmProtocol.tokens(r.json(), r.where(TOKENIZE));
        }));
        return AnswerLayout.of(answer, t.get(0).ids(), t.get(1).ids(), t.get(1).strings(), t.get(2).ids(), t.get(2).strings());
    }

    /** vLLM's tokenizer configuration (opt-in: {@code vllm serve --enable-tokenizer-info-endpoint}). */
    static final String TOKENIZER_INFO = "/tokenizer_info";

    private volatile String padText;

    /**
     * The text of the pad token (else the unknown token) that {@code pad} masking writes over removed prompt words,
     * from {@value #TOKENIZER_INFO}: the same token the in-process backend uses (docs/text.md, "Servers").
     *
     * @throws InvalidInputException when the server does not serve its tokenizer configuration, or it names neither
     */
    String textPadToken() {
        String p = padText;
        if (p != null) {
            return p;
        }
        EndpointPool.Reply r;
        try {
            r = pool.get(TOKENIZER_INFO);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("text regions on vLLM need the pad token, and " + TOKENIZER_INFO + " is not served"
                    + " (start vLLM with --enable-tokenizer-info-endpoint): " + e.getMessage(), e);
        }
        for (String name : List.of("pad_token", "unk_token")) {
            JsonNode t = r.json().get(name);
            String text = t == null ? null : t.isTextual() ? t.asText() : t.path("content").isTextual() ? t.get("content").asText() : null;
            if (text != null && !text.isEmpty()) {
                padText = text;
                return text;
            }
        }
        throw new InvalidInputException(r.where(TOKENIZER_INFO) + " names neither a pad_token nor an unk_token, which text"
                + " regions write over removed prompt words");
    }

    /** The ids {@code /tokenize} gives for the generation prompt of a text-only user turn holding {@code prompt}. */
    long[] promptIds(String prompt) {
        return promptIds(history, prompt);
    }

    /**
     * As {@link #promptIds(String)} with the messages' texts given, one per message of the history and the prompt last
     * (the pad-by-text check's conversations).
     */
    long[] conversationIds(List<String> texts) {
        return promptIds(historyWith(texts), texts.get(texts.size() - 1));
    }

    /** The history with its messages' texts replaced by the first of {@code texts}, in order. */
    List<PromptMessage> historyWith(List<String> texts) {
        List<PromptMessage> out = new ArrayList<>(history.size());
        for (int i = 0; i < history.size(); i++) {
            out.add(new PromptMessage(history.get(i).role(), texts.get(i)));
        }
        return out;
    }

    private long[] promptIds(List<PromptMessage> history, String prompt) {
        EndpointPool.Reply r = pool.post(TOKENIZE, Json.bytes(VllmProtocol.tokenizeRequest(servedModel, history, prompt, null, "gen")));
        return VllmProtocol.tokens(r.json(), r.where(TOKENIZE)).ids();
    }

    /** The server, for messages. */
    String where() {
        return pool.toString();
    }

    @Override
    public VllmTokenScorer scorer(String prompt, String answer, List<Integer> targetIndices) {
        AnswerLayout layout = layout(prompt, answer);
        List<Target> targets = layout.targets(targetIndices);
        ScoringTask task = new ScoringTask(prompt, answer, layout.tokens().stream().map(a -> a.text()).toList(), targets, history);
        return new VllmTokenScorer(this, task, layout, (FrameLayout) null);
    }

    /**
     * A scorer for a prompt with several images: each canvas it scores is cut into the frames, sent as one image part
     * each, in order, in one request (docs/frames.md). The answer's positions are counted from the end of the prompt, so
     * the images' token counts need not be known here.
     */
    @Override
    public VllmTokenScorer scorer(String prompt, String answer, List<Integer> targetIndices, FrameLayout frames) {
        VllmTokenScorer one = scorer(prompt, answer, targetIndices);
        return frames.count() == 1 ? one : new VllmTokenScorer(this, one.task(), layout(prompt, answer), frames);
    }

    @Override
    public VllmTokenScorer scorer(String prompt, Generation generation, List<Integer> targetIndices,
                                  FrameLayout frames) {
        return scorer(prompt, generation.text(), targetIndices, frames);
    }
}
