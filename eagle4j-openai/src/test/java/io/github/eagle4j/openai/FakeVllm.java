package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.onnx.text.HfTokenizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;

/**
 * A loopback server that speaks vLLM's OpenAI-compatible format (docs/backends.md, "vLLM requests": {@code /v1/models},
 * {@code /tokenize}, {@code /v1/chat/completions} with {@code prompt_logprobs}, {@code continue_final_message},
 * {@code return_token_ids}) and answers with the real probabilities of the bundled tiny model, which it runs itself:
 * the chat template renders the messages as transformers would, the image placeholder is expanded, and every prompt
 * position gets the full-vocabulary log-softmax of the ONNX model.
 */
final class FakeVllm implements AutoCloseable {
    static final String SERVED = "tiny-shapes-llava";
    static final int MAX_LOGPROBS = 20;
    /** The context length the fake serves, the bundled model's max_position_embeddings. */
    static final int MAX_MODEL_LEN = 256;

    final LoopbackServer server = new LoopbackServer();
    final TinyModel tiny = TinyModel.get();
    /** Rewrites chat answers (format edge cases, faults). */
    volatile UnaryOperator<ObjectNode> mutate = UnaryOperator.identity();
    /** Imitates vLLM issue #42019: a repeated identical request gets stale, wrong prompt_logprobs. */
    volatile boolean prefixCacheBug;
    private final Set<Integer> seen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger completions = new AtomicInteger();
    /** The image count of every chat request, in arrival order. */
    final java.util.Queue<Integer> imagesPerRequest = new java.util.concurrent.ConcurrentLinkedQueue<>();

    FakeVllm() {
        server.route(VllmModel.MODELS, (b, ex) -> models());
        server.route(VllmModel.TOKENIZE, (b, ex) -> tokenize(b));
        server.route(VllmModel.CHAT, (b, ex) -> chat(b));
        server.route(VllmModel.TOKENIZER_INFO, (b, ex) -> tokenizerInfo());
    }

    /** Whether {@code /tokenizer_info} is served (vLLM serves it only with --enable-tokenizer-info-endpoint). */
    volatile boolean tokenizerInfo = true;

    /** vLLM's {@code /tokenizer_info}: the tokenizer configuration, special tokens as strings. */
    private JsonNode tokenizerInfo() throws LoopbackServer.Status {
        if (!tokenizerInfo) {
            throw new LoopbackServer.Status(404, "Not Found");
        }
        ObjectNode r = Json.object().put("tokenizer_class", "LlamaTokenizer");
        for (String name : List.of("pad_token", "unk_token", "bos_token", "eos_token")) {
            tiny.template.specialToken(name).ifPresent(t -> r.put(name, t));
        }
        return r;
    }

    String url() {
        return server.url();
    }

    private JsonNode models() {
        ObjectNode r = Json.object().put("object", "list");
        r.putArray("data").addObject().put("id", SERVED).put("object", "model").put("max_model_len", MAX_MODEL_LEN);
        return r;
    }

    /** Messages converted to the template's form, and the decoded images. */
    private record Conversation(List<Map<String, Object>> messages, List<RgbImage> images) {
    }

    private Conversation conversation(JsonNode body) throws LoopbackServer.Status {
        List<Map<String, Object>> messages = new ArrayList<>();
        List<RgbImage> images = new ArrayList<>();
        for (JsonNode m : body.path("messages")) {
            Map<String, Object> msg = new HashMap<>();
            msg.put("role", m.path("role").asText());
            JsonNode c = m.get("content");
            if (c.isTextual()) {
                msg.put("content", c.asText());
            } else {
                List<Map<String, Object>> parts = new ArrayList<>();
                for (JsonNode p : c) {
                    switch (p.path("type").asText()) {
                        case "text" -> parts.add(Map.of("type", "text", "text", p.path("text").asText()));
                        case "image_url" -> {
                            images.add(decode(p.path("image_url").path("url").asText()));
                            parts.add(Map.of("type", "image"));
                        }
                        default -> throw new LoopbackServer.Status(400, "unknown content part type " + p.path("type"));
                    }
                }
                msg.put("content", parts);
            }
            messages.add(msg);
        }
        return new Conversation(messages, images);
    }

    static RgbImage decode(String url) throws LoopbackServer.Status {
        if (!url.startsWith("data:image/png;base64,")) {
            throw new LoopbackServer.Status(400, "expected a PNG data URL");
        }
        try {
            byte[] png = Base64.getDecoder().decode(url.substring("data:image/png;base64,".length()));
            return ImageFiles.toRgb(ImageIO.read(new ByteArrayInputStream(png)));
        } catch (IOException | IllegalArgumentException e) {
            throw new LoopbackServer.Status(400, "bad image: " + e.getMessage());
        }
    }

    private String render(JsonNode body, Conversation c) throws LoopbackServer.Status {
        boolean agp = body.path("add_generation_prompt").asBoolean(true);
        boolean cfm = body.path("continue_final_message").asBoolean(false);
        if (agp && cfm) {
            throw new LoopbackServer.Status(400, "Cannot set both `continue_final_message` and `add_generation_prompt` to True.");
        }
        try {
            return tiny.render(c.messages(), agp, cfm);
        } catch (io.github.eagle4j.InvalidInputException e) {
            // vLLM answers a conversation its chat template cannot render with 400 and the template's message
            throw new LoopbackServer.Status(400, e.getMessage());
        }
    }

    /** {@code /tokenize} requests answered. */
    final AtomicInteger tokenizeCalls = new AtomicInteger();

    private JsonNode tokenize(JsonNode body) throws LoopbackServer.Status {
        tokenizeCalls.incrementAndGet();
        checkModel(body);
        Conversation c = conversation(body);
        return tokenizeReply(tiny.tokenize(render(body, c), c.images().size()), MAX_MODEL_LEN, body);
    }

    /** vLLM's {@code /tokenize} answer for the ids {@code e}: count, max_model_len, tokens and, when asked, token_strs. */
    static ObjectNode tokenizeReply(HfTokenizer.Encoded e, int maxModelLen, JsonNode body) {
        ObjectNode r = Json.object();
        r.put("count", e.ids().length);
        r.put("max_model_len", maxModelLen);
        ArrayNode tokens = r.putArray("tokens");
        for (long id : e.ids()) {
            tokens.add(id);
        }
        if (body.path("return_token_strs").asBoolean(false)) {
            ArrayNode strs = r.putArray("token_strs");
            for (String s : e.tokens()) {
                strs.add(s);
            }
        }
        return r;
    }

    private void checkModel(JsonNode body) throws LoopbackServer.Status {
        String model = body.path("model").asText();
        if (!model.equals(SERVED)) {
            throw new LoopbackServer.Status(404, "The model `" + model + "` does not exist.");
        }
    }

    private JsonNode chat(JsonNode body) throws LoopbackServer.Status {
        checkModel(body);
        Conversation c = conversation(body);
        if (c.images().isEmpty()) {
            throw new LoopbackServer.Status(400, "the tiny model needs an image");
        }
        // several images: one image part each, in order, as vLLM takes them for models that read several
        List<RgbImage> image = c.images();
        long[] ids;
        try {
            ids = tiny.tokenize(render(body, c), image.size()).ids();
        } catch (IllegalArgumentException e) {
            throw new LoopbackServer.Status(400, e.getMessage());
        }
        imagesPerRequest.add(image.size());
        if (ids.length + body.path("max_tokens").asInt(1) > MAX_MODEL_LEN) {
            throw new LoopbackServer.Status(400, "This model's maximum context length is " + MAX_MODEL_LEN + " tokens. However, your"
                    + " request has " + ids.length + " input tokens. Please reduce the length of the input messages.");
        }
        JsonNode pl = body.get("prompt_logprobs");
        if (pl != null && !pl.isNull() && pl.asInt() > MAX_LOGPROBS) {
            throw new LoopbackServer.Status(400, "Requested prompt logprobs of " + pl.asInt() + ", which is greater than max allowed: "
                    + MAX_LOGPROBS);
        }
        int maxTokens = body.path("max_tokens").asInt(16);
        ObjectNode r = Json.object();
        r.put("id", "chatcmpl-" + completions.incrementAndGet());
        r.put("object", "chat.completion");
        r.put("created", 0);
        r.put("model", SERVED);
        long[] generated;
        boolean stopped;
        double[][] lp = null;
        if (pl != null && !pl.isNull()) {
            lp = tiny.logProbs(image, ids);
            if (prefixCacheBug && !seen.add(body.toString().hashCode())) {
                for (double[] row : lp) {
                    for (int v = 0; v < row.length; v++) {
                        row[v] += Math.log(0.5);
                    }
                }
            }
        }
        if (lp != null && maxTokens == 1) {
            int next = TinyModel.argmax(lp[ids.length - 1]);
            generated = new long[] {next};
            stopped = next == tiny.eosId;
        } else {
            TinyModel.Greedy g = tiny.greedy(image, ids, maxTokens);
            generated = g.ids();
            stopped = g.stopped();
        }
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", tiny.decode(generated));
        choice.putNull("logprobs");
        choice.put("finish_reason", stopped ? "stop" : "length");
        boolean returnIds = body.path("return_token_ids").asBoolean(false);
        if (returnIds) {
            ArrayNode t = choice.putArray("token_ids");
            for (long id : generated) {
                t.add(id);
            }
        }
        r.putObject("usage").put("prompt_tokens", ids.length).put("completion_tokens", generated.length)
                .put("total_tokens", ids.length + generated.length);
        if (returnIds) {
            ArrayNode p = r.putArray("prompt_token_ids");
            for (long id : ids) {
                p.add(id);
            }
        }
        if (lp != null) {
            r.set("prompt_logprobs", promptLogprobs(ids, lp, pl.asInt()));
        }
        return mutate.apply(r);
    }

    /** vLLM's shape: entry 0 null; entry i keyed by token id strings, the actual token first, then the top-n. */
    ArrayNode promptLogprobs(long[] ids, double[][] lp, int n) {
        ArrayNode out = Json.array();
        out.addNull();
        for (int i = 1; i < ids.length; i++) {
            double[] row = lp[i - 1];
            Map<Long, Integer> entries = new LinkedHashMap<>();
            entries.put(ids[i], rank(row, (int) ids[i]));
            Integer[] order = new Integer[row.length];
            for (int v = 0; v < row.length; v++) {
                order[v] = v;
            }
            java.util.Arrays.sort(order, (a, b) -> row[a] != row[b] ? Double.compare(row[b], row[a]) : Integer.compare(a, b));
            for (int k = 0; k < n; k++) {
                entries.putIfAbsent((long) order[k], k + 1);
            }
            ObjectNode entry = out.addObject();
            for (Map.Entry<Long, Integer> e : entries.entrySet()) {
                double v = row[(int) (long) e.getKey()];
                entry.putObject(Long.toString(e.getKey())).put("logprob", Math.max(v, VllmProtocol.CLAMP)).put("rank", e.getValue())
                        .put("decoded_token", tiny.token(e.getKey()));
            }
        }
        return out;
    }

    private static int rank(double[] row, int id) {
        int r = 1;
        for (double v : row) {
            if (v > row[id]) {
                r++;
            }
        }
        return r;
    }

    @Override
    public void close() {
        server.close();
    }
}
