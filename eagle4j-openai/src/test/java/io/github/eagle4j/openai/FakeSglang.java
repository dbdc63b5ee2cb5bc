package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.RgbImage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A loopback server that speaks SGLang's native {@code /generate} (docs/backends.md, "SGLang requests"): {@code text} and
 * {@code image_data} as single items or lists, {@code return_logprob}, {@code logprob_start_len}, entry 0 of
 * {@code input_token_logprobs} always null, answered with the real probabilities of the bundled tiny model. As SGLang's
 * scheduler does, the ids it reports in {@code input_token_logprobs} are "clipped": every id at or above
 * {@code vocab_size - 1} (the image positions' hash pad values, and the vocabulary's last token) is written as 0, its
 * text that of token 0. {@code /tokenize} and {@code /detokenize} answer as SGLang's do.
 */
final class FakeSglang implements AutoCloseable {
    final LoopbackServer server = new LoopbackServer();
    final TinyModel tiny = TinyModel.get();
    /** Rewrites each item of an answer (format edge cases). */
    volatile UnaryOperator<ObjectNode> mutate = UnaryOperator.identity();
    /** The model config's {@code vocab_size}: SGLang writes ids from {@code vocab_size - 1} on as 0. */
    final long vocabSize = TinyModel.get().tokenizer.size();

    FakeSglang() {
        server.route(SglangProtocol.MODEL_INFO, (b, ex) -> Json.object().put("model_path", "/models/tiny-shapes-llava")
                .put("tokenizer_path", "/models/tiny-shapes-llava").put("is_generation", true));
        server.route(SglangProtocol.GENERATE, (b, ex) -> generate(b));
        server.route(SglangProtocol.TOKENIZE, (b, ex) -> tokenize(b));
        server.route(SglangProtocol.DETOKENIZE, (b, ex) -> detokenize(b));
    }

    /** The image count of every item, in arrival order. */
    final java.util.Queue<Integer> imagesPerItem = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Imitates an SGLang without {@code /tokenize} (404). */
    volatile boolean noTokenize;

    /** SGLang's {@code /tokenize}: {@code prompt} a text or a list, special tokens added unless told otherwise. */
    private JsonNode tokenize(JsonNode body) throws LoopbackServer.Status {
        if (noTokenize) {
            throw new LoopbackServer.Status(404, "Not Found");
        }
        boolean special = body.path("add_special_tokens").asBoolean(true);
        JsonNode prompt = body.path("prompt");
        ObjectNode r = Json.object();
        if (prompt.isArray()) {
            ArrayNode all = r.putArray("tokens");
            ArrayNode counts = r.putArray("count");
            for (JsonNode p : prompt) {
                long[] ids = ids(p.asText(), special);
                ArrayNode t = all.addArray();
                for (long id : ids) {
                    t.add(id);
                }
                counts.add(ids.length);
            }
        } else {
            long[] ids = ids(prompt.asText(), special);
            ArrayNode t = r.putArray("tokens");
            for (long id : ids) {
                t.add(id);
            }
            r.put("count", ids.length);
        }
        r.put("max_model_len", 256);
        return r;
    }

    private long[] ids(String text, boolean addSpecial) {
        long[] ids = tiny.tokenize(text, 0).ids();
        if (!addSpecial) {
            return ids;
        }
        long[] withBos = new long[ids.length + 1];
        withBos[0] = 1;
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    private JsonNode detokenize(JsonNode body) {
        List<Long> ids = new ArrayList<>();
        body.path("tokens").forEach(t -> ids.add(t.asLong()));
        return Json.object().put("text", tiny.tokenizer.decode(ids.stream().mapToLong(Long::longValue).toArray(),
                body.path("skip_special_tokens").asBoolean(true)));
    }

    /** The id SGLang reports for an input position: its scheduler writes ids at or above {@code vocab_size - 1} as 0. */
    private long reported(long id) {
        return id < vocabSize - 1 ? id : 0;
    }

    String url() {
        return server.url();
    }

    private JsonNode generate(JsonNode body) throws LoopbackServer.Status {
        JsonNode text = body.get("text");
        JsonNode images = body.get("image_data");
        boolean batched = text.isArray();
        List<String> texts = new ArrayList<>();
        List<List<String>> urls = new ArrayList<>();
        if (batched) {
            text.forEach(t -> texts.add(t.asText()));
            if (images == null || !images.isArray() || images.size() != texts.size()) {
                throw new LoopbackServer.Status(400, "image_data must be a list as long as text");
            }
            // an item's image_data is one URL or the list of its images, in order
            images.forEach(i -> urls.add(urlsOf(i)));
        } else {
            texts.add(text.asText());
            urls.add(images == null ? List.of() : urlsOf(images));
        }
        ArrayNode out = Json.array();
        for (int i = 0; i < texts.size(); i++) {
            out.add(mutate.apply(one(texts.get(i), urls.get(i), body)));
        }
        return batched ? out : out.get(0);
    }

    private static List<String> urlsOf(JsonNode imageData) {
        List<String> out = new ArrayList<>();
        if (imageData.isArray()) {
            imageData.forEach(u -> out.add(u.asText()));
        } else {
            out.add(imageData.asText());
        }
        return out;
    }

    private ObjectNode one(String text, List<String> urls, JsonNode body) throws LoopbackServer.Status {
        if (urls.isEmpty()) {
            throw new LoopbackServer.Status(400, "the tiny model needs an image");
        }
        List<RgbImage> image = new ArrayList<>();
        for (String url : urls) {
            image.add(FakeVllm.decode(url));
        }
        imagesPerItem.add(image.size());
        long[] ids;
        try {
            ids = tiny.tokenize(text, image.size()).ids();
        } catch (IllegalArgumentException e) {
            throw new LoopbackServer.Status(400, e.getMessage());
        }
        if (ids.length > FakeVllm.MAX_MODEL_LEN) {
            // as SGLang's scheduler: HTTP 200, the item aborted with the reason
            ObjectNode aborted = Json.object();
            aborted.put("text", "");
            aborted.putObject("meta_info").put("prompt_tokens", ids.length).putObject("finish_reason").put("type", "abort")
                    .put("message", "Input length (" + ids.length + " tokens) exceeds the maximum allowed length ("
                            + FakeVllm.MAX_MODEL_LEN + " tokens). Use a shorter input or enable --allow-auto-truncate.");
            return aborted;
        }
        int maxNew = body.path("sampling_params").path("max_new_tokens").asInt(128);
        boolean logprob = body.path("return_logprob").asBoolean(false);
        int start = body.path("logprob_start_len").asInt(-1);
        boolean withText = body.path("return_text_in_logprobs").asBoolean(false);
        if (logprob && start >= ids.length) {
            throw new LoopbackServer.Status(400, "logprob_start_len (" + start + ") is not less than the input length " + ids.length);
        }
        ObjectNode r = Json.object();
        ObjectNode meta = Json.object();
        long[] generated = new long[0];
        boolean stopped = false;
        double[] genLogprobs = new double[0];
        if (maxNew > 0) {
            TinyModel.Greedy g = tiny.greedy(image, ids, maxNew);
            generated = g.ids();
            stopped = g.stopped();
            genLogprobs = g.logprobs();
        }
        r.put("text", tiny.decode(generated));
        meta.put("id", Integer.toHexString(text.hashCode()));
        meta.put("prompt_tokens", ids.length);
        meta.put("completion_tokens", generated.length);
        ObjectNode finish = meta.putObject("finish_reason");
        if (stopped) {
            finish.put("type", "stop").put("matched", tiny.eosId);
        } else {
            finish.put("type", "length").put("length", maxNew);
        }
        if (logprob) {
            ArrayNode in = meta.putArray("input_token_logprobs");
            if (start >= 0) {
                double[][] lp = tiny.logProbs(image, ids);
                long pad = 1_000_000L + (image.hashCode() & 0xFFFF);
                for (int p = start; p < ids.length; p++) {
                    ArrayNode e = in.addArray();
                    if (p == start) {
                        e.addNull();
                    } else {
                        e.add(lp[p - 1][(int) ids[p]]);
                    }
                    long id = reported(ids[p] == tiny.imageTokenId ? pad : ids[p]);
                    e.add(id);
                    if (withText) {
                        e.add(tiny.token(id));
                    } else {
                        e.addNull();
                    }
                }
            }
            ArrayNode outLp = meta.putArray("output_token_logprobs");
            for (int i = 0; i < generated.length; i++) {
                ArrayNode e = outLp.addArray();
                e.add(genLogprobs[i]);
                e.add(generated[i]);
                if (withText) {
                    e.add(tiny.token(generated[i]));
                } else {
                    e.addNull();
                }
            }
        }
        r.set("meta_info", meta);
        return r;
    }

    @Override
    public void close() {
        server.close();
    }
}
