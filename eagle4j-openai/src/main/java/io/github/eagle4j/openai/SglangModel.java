package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;

import io.github.eagle4j.text.PromptMessage;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model served by SGLang ({@code python -m sglang.launch_server}), through its native {@code /generate}: the
 * conversation is written here with a {@link ChatFormat}, the image goes as {@code image_data}, and
 * {@code return_logprob} with {@code logprob_start_len} returns the prompt's log-probabilities (docs/backends.md,
 * "SGLang requests"). One request carries up to {@link ServerSettings#effectiveBatchSize()} images; SGLang batches them natively.
 *
 * <p>The answer's tokens are found once per (prompt, answer) by sending the generation prompt, the open and the closed
 * conversation with a plain grey image and reading the token ids back. SGLang writes every id from
 * {@code vocab_size - 1} on as 0 there (so the vocabulary's last token reads as token 0); an answer token read as 0 is
 * looked up with {@code /tokenize} and {@code /detokenize}. SGLang caps its prefix-cache match at
 * {@code logprob_start_len}, so no prefix-cache check is needed here.
 */
public final class SglangModel extends ServerModel {
    /** The image sent with the calibration texts: only the tail after it is used. */
    static final RgbImage CALIBRATION_IMAGE = RgbImage.filled(224, 224, 0x808080);

    /** The format as configured. */
    private final ChatFormat configured;
    /** The messages written before every question (a system prompt, earlier turns); empty for a single question. */
    private final List<PromptMessage> history;
    /** The configured format with the history written in: every text sent is made with it. */
    private final ChatFormat format;
    /** Per (prompt, answer): the open and closed tails as SGLang writes them (ids it clips as 0), checked on every answer. */
    private final Map<List<String>, long[][]> reportedTails = new ConcurrentHashMap<>();

    private SglangModel(ServerSettings settings, Secret key, EndpointPool pool, String servedModel, ChatFormat format) {
        super(settings, key, pool, servedModel);
        this.configured = format;
        this.history = List.of();
        this.format = format;
    }

    /** A view of {@code owner} with {@code history}: the same endpoints and threads. */
    private SglangModel(SglangModel owner, List<PromptMessage> history, ChatFormat format) {
        super(owner);
        this.configured = owner.configured;
        this.history = List.copyOf(history);
        this.format = format;
    }

    /**
     * This model with {@code history} written before every question by the chat format (its {@code {history}} and
     * {@code {system}} markers; docs/text.md, conversations): every answer and scorer of the view reads the
     * conversation, and its scorers' tasks carry it. The view shares this model's endpoints and threads; closing it
     * closes nothing.
     *
     * @throws InvalidInputException when the chat format cannot write the conversation
     */
    @Override
    public SglangModel withHistory(List<PromptMessage> history) {
        if (history.isEmpty() && this.history.isEmpty()) {
            return this;
        }
        checkHistory(history);
        return new SglangModel(this, history, configured.withHistory(history));
    }

    /** The messages written before every question. */
    List<PromptMessage> history() {
        return history;
    }

    static SglangModel open(ServerSettings settings, Secret key) {
        EndpointPool pool = EndpointPool.of(settings, key);
        String name = settings.servedModel();
        if (name == null) {
            EndpointPool.Reply r = pool.get(SglangProtocol.MODEL_INFO);
            JsonNode p = r.json().path("model_path");
            if (!p.isTextual()) {
                throw new ScoringException(r.where(SglangProtocol.MODEL_INFO) + ": no model_path in the answer (is this SGLang?)");
            }
            name = p.asText();
        }
        ChatFormat format;
        if (settings.chatFormat() != null) {
            format = ChatFormat.of(settings.chatFormat());
        } else {
            String served = name;
            format = ChatFormat.guess(name).orElseThrow(() -> InvalidInputException.forInput(ServerSettings.CHAT_FORMAT,
                    " is needed: SGLang's /generate applies no chat template and no preset matches the served model " + served
                    + ": give a preset ("
                    + String.join(", ", ChatFormat.PRESETS.keySet()) + ") or a format such as 'USER: <image>\\n{prompt}"
                    + " ASSISTANT:{gen} {answer}</s>'"));
        }
        return new SglangModel(settings, key, pool, name, format);
    }

    /** The conversation format in use, as configured (without the history of a {@link #withHistory} view). */
    public ChatFormat chatFormat() {
        return configured;
    }

    @Override
    public Generation generate(RgbImage image, String prompt, int maxNewTokens) {
        checkImage(image);
        return generate(List.of(image), prompt, maxNewTokens);
    }

    /** The greedy answer to a prompt with several images: the format's image placeholder once per image, in order. */
    @Override
    public Generation generate(List<RgbImage> images, String prompt, int maxNewTokens) {
        checkImages(images);
        checkText(prompt, "prompt");
        checkMaxNewTokens(maxNewTokens);
        byte[] body = Json.bytes(SglangProtocol.generateRequest(format.forImages(images.size()).generationPrompt(prompt),
                PngDataUrl.of(images), maxNewTokens));
        EndpointPool.Reply r = pool.post(SglangProtocol.GENERATE, body);
        JsonNode item = SglangProtocol.items(r.json(), 1, r.where(SglangProtocol.GENERATE)).get(0);
        if (!item.path("text").isTextual()) {
            throw new ScoringException(r.where(SglangProtocol.GENERATE) + ": the answer has no text");
        }
        String finish = item.path("meta_info").path("finish_reason").path("type").asText("");
        return generation(prompt, item.get("text").asText(), !finish.equals("length"));
    }

    @Override
    AnswerLayout computeLayout(String prompt, String answer) {
        List<String> texts = List.of(format.generationPrompt(prompt), format.open(prompt, answer), format.closed(prompt, answer));
        String url = PngDataUrl.of(CALIBRATION_IMAGE);
        byte[] body = Json.bytes(SglangProtocol.scoreRequest(texts, Collections.nCopies(3, url), 0, true));
        EndpointPool.Reply r = pool.post(SglangProtocol.GENERATE, body);
        String where = r.where(SglangProtocol.GENERATE);
        List<JsonNode> items = SglangProtocol.items(r.json(), 3, where);
        VllmProtocol.Tokens gen = SglangProtocol.tokens(items.get(0), where);
        VllmProtocol.Tokens open = SglangProtocol.tokens(items.get(1), where);
        VllmProtocol.Tokens closed = SglangProtocol.tokens(items.get(2), where);
        AnswerLayout reported = AnswerLayout.of(answer, gen.ids(), open.ids(), open.strings(), closed.ids(), closed.strings());
        reportedTails.put(List.of(prompt, answer), new long[][] {reported.openTail(), reported.closedTail()});
        if (!reported.tokens().stream().anyMatch(t -> t.id() == 0)) {
            return reported;
        }
        return unclipped(prompt, answer, reported, open, closed);
    }

    /**
     * The layout with the true ids of answer tokens SGLang wrote as 0. Its scheduler reports every input id at or above
     * {@code vocab_size - 1} as 0 (meant for the image positions' hash pad values, it also hits the vocabulary's last
     * token), with the text of token 0; {@code /tokenize} of the same texts gives the true ids, which must agree with
     * {@code /generate} everywhere else in the answer.
     */
    private AnswerLayout unclipped(String prompt, String answer, AnswerLayout reported, VllmProtocol.Tokens open,
                                   VllmProtocol.Tokens closed) {
        long[] openIds = trueIds(format.open(prompt, answer), open.ids(), reported.openTail().length, answer);
        long[] closedIds = reported.closedTail() == null ? closed.ids()
                : trueIds(format.closed(prompt, answer), closed.ids(), reported.closedTail().length, answer);
        String[] openText = relabel(open, openIds);
        String[] closedText = relabel(closed, closedIds);
        long[] genIds = java.util.Arrays.copyOf(openIds, open.ids().length - reported.openTail().length);
        return AnswerLayout.of(answer, genIds, openIds, openText, closedIds, closedText);
    }

    /** {@code ids} with its last {@code k} entries checked against {@code /tokenize} and those written as 0 restored. */
    private long[] trueIds(String text, long[] ids, int k, String answer) {
        ObjectNode body = Json.object();
        body.put("prompt", text);
        body.put("add_special_tokens", false);
        EndpointPool.Reply r;
        try {
            r = pool.post(SglangProtocol.TOKENIZE, Json.bytes(body));
        } catch (InvalidInputException e) {
            throw new InvalidInputException("SGLang wrote token id 0 for a token of the answer '" + answer + "' (it writes ids from"
                    + " vocab_size - 1 on as 0) and the server has no working " + SglangProtocol.TOKENIZE + " to find the true id: "
                    + e.getMessage());
        }
        String where = r.where(SglangProtocol.TOKENIZE);
        long[] tokenized = VllmProtocol.tokens(r.json(), where).ids();
        if (tokenized.length < k) {
            throw new ScoringException(where + " gives " + tokenized.length + " tokens for a text whose answer part /generate found "
                    + k + " tokens long");
        }
        long[] out = ids.clone();
        for (int i = 0; i < k; i++) {
            long reported = ids[ids.length - k + i];
            long real = tokenized[tokenized.length - k + i];
            if (reported != real && reported != 0) {
                throw new ScoringException(where + " and " + SglangProtocol.GENERATE + " disagree about the answer's token " + i
                        + " (ids " + real + " and " + reported + "); the answer positions cannot be trusted");
            }
            out[ids.length - k + i] = real;
        }
        return out;
    }

    /** Token texts with those of restored ids replaced by {@code /detokenize}'s text. */
    private String[] relabel(VllmProtocol.Tokens reported, long[] ids) {
        String[] texts = reported.strings() == null ? new String[ids.length] : reported.strings().clone();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != reported.ids()[i]) {
                ObjectNode body = Json.object();
                body.putArray("tokens").add(ids[i]);
                EndpointPool.Reply r = pool.post(SglangProtocol.DETOKENIZE, Json.bytes(body));
                JsonNode text = r.json().path("text");
                texts[i] = text.isTextual() ? text.asText() : null;
            }
        }
        return texts;
    }

    /**
     * The pad token's text that {@code pad} masking writes over removed prompt words: SGLang's API does not tell it, so
     * it is a setting ({@value ServerSettings#PAD_TOKEN}; docs/text.md, "Servers").
     *
     * @throws InvalidInputException when it was not given
     */
    String textPadToken() {
        if (settings().padToken() == null) {
            throw InvalidInputException.forInput(ServerSettings.PAD_TOKEN, " is needed for text regions on SGLang, whose API does"
                    + " not tell the pad token: give the model's pad_token (else unk_token) of its tokenizer_config.json");
        }
        return settings().padToken();
    }

    /**
     * The ids {@code /tokenize} gives for the generation prompt in this model's chat format, with the messages' texts
     * given, one per message of the history and the prompt last (the pad-by-text check's conversations).
     */
    long[] conversationIds(List<String> texts) {
        ObjectNode body = Json.object();
        body.put("prompt", formatWith(texts).generationPrompt(texts.get(texts.size() - 1)));
        body.put("add_special_tokens", false);
        EndpointPool.Reply r = pool.post(SglangProtocol.TOKENIZE, Json.bytes(body));
        return VllmProtocol.tokens(r.json(), r.where(SglangProtocol.TOKENIZE)).ids();
    }

    /** The text sent for {@code prompt} and {@code answer}, the turn closed or left open. */
    String conversationText(String prompt, String answer, boolean closed) {
        return closed ? format.closed(prompt, answer) : format.open(prompt, answer);
    }

    /** As {@link #conversationText(String, String, boolean)} with the messages' texts given (the prompt last). */
    String conversationText(List<String> texts, String answer, boolean closed) {
        return formatWith(texts).conversation(texts.get(texts.size() - 1), answer, closed);
    }

    /** The format with the history's messages holding the first of {@code texts}, in order. */
    private ChatFormat formatWith(List<String> texts) {
        if (history.isEmpty()) {
            return format;
        }
        List<PromptMessage> replaced = new java.util.ArrayList<>(history.size());
        for (int i = 0; i < history.size(); i++) {
            replaced.add(new PromptMessage(history.get(i).role(), texts.get(i)));
        }
        return configured.withHistory(replaced);
    }

    /** The server, for messages. */
    String where() {
        return pool.toString();
    }

    @Override
    public SglangTokenScorer scorer(String prompt, String answer, List<Integer> targetIndices) {
        AnswerLayout layout = layout(prompt, answer);
        List<Target> targets = layout.targets(targetIndices);
        ScoringTask task = new ScoringTask(prompt, answer, layout.tokens().stream().map(a -> a.text()).toList(), targets, history);
        boolean closed = layout.needsClosedTurn(targets);
        long[][] asReported = reportedTails.get(List.of(prompt, answer));
        return new SglangTokenScorer(this, task, closed, conversationText(prompt, answer, closed),
                (closed ? asReported[1] : asReported[0]).clone(), null);
    }

    /**
     * A scorer for a prompt with several images: the format's image placeholder written once per frame, each canvas cut
     * into its frames and sent as the item's list of images, in order (docs/frames.md). The answer's positions are
     * counted from the end of the prompt, as for one image.
     */
    @Override
    public SglangTokenScorer scorer(String prompt, String answer, List<Integer> targetIndices, FrameLayout frames) {
        SglangTokenScorer one = scorer(prompt, answer, targetIndices);
        if (frames.count() == 1) {
            return one;
        }
        ChatFormat f = format.forImages(frames.count());
        boolean closed = layout(prompt, answer).needsClosedTurn(one.task().targets());
        return new SglangTokenScorer(this, one.task(), closed, closed ? f.closed(prompt, answer) : f.open(prompt, answer), one.tail(),
                frames);
    }

    @Override
    public SglangTokenScorer scorer(String prompt, Generation generation, List<Integer> targetIndices,
                                    FrameLayout frames) {
        return scorer(prompt, generation.text(), targetIndices, frames);
    }

    /**
     * SGLang takes no video from eagle4j: its Qwen-VL processor (python/sglang/srt/multimodal/processors/qwen_vl.py)
     * opens {@code video_data} as a video file and samples (2 frames per second) and resizes (its own pixel bounds) the
     * frames itself, so eagle4j's sampled, masked frames cannot reach the model as they are (docs/backends.md).
     */
    static final String NO_VIDEO = "the sglang backend takes no video: SGLang opens video_data as a video file and samples"
            + " (2 fps) and resizes its frames itself, so eagle4j's sampled, masked frames cannot reach the model exactly (a"
            + " re-encoded video is lossy); use --backend vllm or the in-process model (docs/backends.md)";

    @Override
    public java.util.Optional<String> videoRefusal() {
        return java.util.Optional.of(NO_VIDEO);
    }

    @Override
    public Generation generate(List<RgbImage> frames, io.github.eagle4j.VideoClip video, String prompt, int maxNewTokens) {
        throw new InvalidInputException(NO_VIDEO);
    }

    @Override
    public io.github.eagle4j.TokenScorer scorer(String prompt, String answer, List<Integer> targetIndices, io.github.eagle4j.VideoClip video) {
        throw new InvalidInputException(NO_VIDEO);
    }

    @Override
    public io.github.eagle4j.TokenScorer scorer(String prompt, Generation generation, List<Integer> targetIndices,
                                                io.github.eagle4j.VideoClip video) {
        throw new InvalidInputException(NO_VIDEO);
    }
}
