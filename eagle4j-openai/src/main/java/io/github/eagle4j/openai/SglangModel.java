package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;

import java.util.Collections;
import java.util.List;

/**
 * A model served by SGLang ({@code python -m sglang.launch_server}), through its native {@code /generate}: the
 * conversation is written here with a {@link ChatFormat}, the image goes as {@code image_data}, and
 * {@code return_logprob} with {@code logprob_start_len} returns the prompt's log-probabilities (docs/backends.md,
 * "SGLang requests"). One request carries up to {@link ServerSettings#effectiveBatchSize()} images; SGLang batches them natively.
 *
 * <p>The answer's tokens are found once per (prompt, answer) by sending the generation prompt, the open and the closed
 * conversation with a plain grey image and reading the token ids back. SGLang caps its prefix-cache match at
 * {@code logprob_start_len}, so no prefix-cache check is needed here.
 */
public final class SglangModel extends ServerModel {
    /** The image sent with the calibration texts: only the tail after it is used. */
    static final RgbImage CALIBRATION_IMAGE = RgbImage.filled(224, 224, 0x808080);

    private final ChatFormat format;

    private SglangModel(ServerSettings settings, Secret key, EndpointPool pool, String servedModel, ChatFormat format) {
        super(settings, key, pool, servedModel);
        this.format = format;
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
            format = ChatFormat.guess(name).orElseThrow(() -> new InvalidInputException("SGLang's /generate applies no chat"
                    + " template and no preset matches the served model " + served + ": give --chat-format, a preset ("
                    + String.join(", ", ChatFormat.PRESETS.keySet()) + ") or a format such as 'USER: <image>\\n{prompt}"
                    + " ASSISTANT:{gen} {answer}</s>'"));
        }
        return new SglangModel(settings, key, pool, name, format);
    }

    /** The conversation format in use. */
    public ChatFormat chatFormat() {
        return format;
    }

    @Override
    public Generation generate(RgbImage image, String prompt, int maxNewTokens) {
        checkImage(image);
        checkText(prompt, "prompt");
        checkMaxNewTokens(maxNewTokens);
        byte[] body = Json.bytes(SglangProtocol.generateRequest(format.generationPrompt(prompt), PngDataUrl.of(image), maxNewTokens));
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
        return AnswerLayout.of(answer, gen.ids(), open.ids(), open.strings(), closed.ids(), closed.strings());
    }

    @Override
    public SglangTokenScorer scorer(String prompt, String answer, List<Integer> targetIndices) {
        AnswerLayout layout = layout(prompt, answer);
        List<Target> targets = layout.targets(targetIndices);
        ScoringTask task = new ScoringTask(prompt, answer, layout.tokens().stream().map(a -> a.text()).toList(), targets);
        boolean closed = layout.needsClosedTurn(targets);
        String text = closed ? format.closed(prompt, answer) : format.open(prompt, answer);
        return new SglangTokenScorer(this, task, text, layout.tail(closed));
    }
}
