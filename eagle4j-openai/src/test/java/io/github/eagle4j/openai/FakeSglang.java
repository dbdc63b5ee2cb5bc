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
 * {@code input_token_logprobs} always null, image positions reported with pad values instead of the image token id,
 * answered with the real probabilities of the bundled tiny model.
 */
final class FakeSglang implements AutoCloseable {
    final LoopbackServer server = new LoopbackServer();
    final TinyModel tiny = TinyModel.get();
    /** Rewrites each item of an answer (format edge cases). */
    volatile UnaryOperator<ObjectNode> mutate = UnaryOperator.identity();

    FakeSglang() {
        server.route(SglangProtocol.MODEL_INFO, (b, ex) -> Json.object().put("model_path", "/models/tiny-shapes-llava")
                .put("tokenizer_path", "/models/tiny-shapes-llava").put("is_generation", true));
        server.route(SglangProtocol.GENERATE, (b, ex) -> generate(b));
    }

    String url() {
        return server.url();
    }

    private JsonNode generate(JsonNode body) throws LoopbackServer.Status {
        JsonNode text = body.get("text");
        JsonNode images = body.get("image_data");
        boolean batched = text.isArray();
        List<String> texts = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        if (batched) {
            text.forEach(t -> texts.add(t.asText()));
            if (images == null || !images.isArray() || images.size() != texts.size()) {
                throw new LoopbackServer.Status(400, "image_data must be a list as long as text");
            }
            images.forEach(i -> urls.add(i.asText()));
        } else {
            texts.add(text.asText());
            urls.add(images == null ? null : images.asText());
        }
        ArrayNode out = Json.array();
        for (int i = 0; i < texts.size(); i++) {
            out.add(mutate.apply(one(texts.get(i), urls.get(i), body)));
        }
        return batched ? out : out.get(0);
    }

    private ObjectNode one(String text, String url, JsonNode body) throws LoopbackServer.Status {
        if (url == null) {
            throw new LoopbackServer.Status(400, "the tiny model takes exactly one image");
        }
        RgbImage image = FakeVllm.decode(url);
        long[] ids = tiny.tokenize(text, 1).ids();
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
                    boolean imageToken = ids[p] == tiny.imageTokenId;
                    e.add(imageToken ? pad : ids[p]);
                    if (withText && !imageToken) {
                        e.add(tiny.token(ids[p]));
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
