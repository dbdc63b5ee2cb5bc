package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.ScoringException;

import java.util.ArrayList;
import java.util.List;

/**
 * Request bodies and response reading for SGLang's native {@code /generate} (docs/backends.md, "SGLang requests").
 *
 * <p>{@code meta_info.input_token_logprobs} is aligned with the prompt from {@code logprob_start_len} on, one
 * {@code [logprob, token_id, text]} per position, entry 0 always {@code null}. The answer is the end of the prompt, so
 * its entries are the last ones; their ids must equal the answer's ids found at calibration. A {@code null} logprob
 * there is {@code -inf} (SGLang's JSON writer writes non-finite floats as {@code null}) and reads as probability 0; the
 * padding entry 0 can never be an answer position because at least one entry more than the answer is required.
 */
final class SglangProtocol {
    static final String GENERATE = "/generate";
    static final String MODEL_INFO = "/get_model_info";
    static final String TOKENIZE = "/tokenize";
    static final String DETOKENIZE = "/detokenize";

    private SglangProtocol() {
    }

    /** A batched teacher-forcing request: one text and one image per item, no new tokens. */
    static ObjectNode scoreRequest(List<String> texts, List<String> imageUrls, int logprobStart, boolean withText) {
        return scoreRequestOfImages(texts, imageUrls.stream().map(List::of).toList(), logprobStart, withText);
    }

    /**
     * A batched teacher-forcing request: one text and its images per item, no new tokens. An item with one image sends
     * its URL, an item with several the list of them, in order ({@code image_data} as a list of lists).
     */
    static ObjectNode scoreRequestOfImages(List<String> texts, List<List<String>> imageUrls, int logprobStart, boolean withText) {
        ObjectNode r = Json.object();
        ArrayNode t = r.putArray("text");
        texts.forEach(t::add);
        ArrayNode im = r.putArray("image_data");
        for (List<String> urls : imageUrls) {
            if (urls.size() == 1) {
                im.add(urls.get(0));
            } else {
                ArrayNode item = im.addArray();
                urls.forEach(item::add);
            }
        }
        ObjectNode sp = r.putObject("sampling_params");
        sp.put("max_new_tokens", 0);
        sp.put("temperature", 0);
        r.put("return_logprob", true);
        r.put("logprob_start_len", logprobStart);
        if (withText) {
            r.put("return_text_in_logprobs", true);
        }
        return r;
    }

    /** Greedy generation. */
    static ObjectNode generateRequest(String text, List<String> imageUrls, int maxNewTokens) {
        ObjectNode r = Json.object();
        if (imageUrls.size() == 1) {
            r.put("text", text);
            r.put("image_data", imageUrls.get(0));
        } else {
            // a batch of one: a plain list of images would read as one image per item of a batch
            r.putArray("text").add(text);
            ArrayNode im = r.putArray("image_data").addArray();
            imageUrls.forEach(im::add);
        }
        ObjectNode sp = r.putObject("sampling_params");
        sp.put("max_new_tokens", maxNewTokens);
        sp.put("temperature", 0);
        return r;
    }

    /** The per-item results of a batched answer. */
    static List<JsonNode> items(JsonNode r, int expected, String where) {
        List<JsonNode> out = new ArrayList<>();
        if (r.isArray()) {
            r.forEach(out::add);
        } else if (r.isObject() && expected == 1) {
            out.add(r);
        }
        if (out.size() != expected) {
            throw new ScoringException(where + ": expected " + expected + " results, got "
                    + (r.isArray() ? r.size() + "" : "a " + r.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        return out;
    }

    static JsonNode entries(JsonNode item, String where) {
        JsonNode finish = item.path("meta_info").path("finish_reason");
        if (finish.path("type").asText("").equals("abort")) {
            // SGLang answers some refusals (an input past the context length) with HTTP 200 and an aborted item
            String message = finish.path("message").asText("no reason given");
            String advice = EndpointPool.isContextLengthError(message) ? " (the conversation with its image tokens is longer than"
                    + " the served model's context: shorten the prompt or the answer)" : "";
            throw new io.github.eagle4j.InvalidInputException(where + ": SGLang aborted the request: "
                    + message.replaceAll("\\s+", " ").strip() + advice);
        }
        JsonNode e = item.path("meta_info").get("input_token_logprobs");
        if (e == null || !e.isArray()) {
            throw new ScoringException(where + ": the answer has no meta_info.input_token_logprobs (the request sets return_logprob;"
                    + " is this SGLang's /generate?)");
        }
        return e;
    }

    /** The prompt's length from {@code meta_info.prompt_tokens}, or -1. */
    static int promptTokens(JsonNode item) {
        JsonNode p = item.path("meta_info").path("prompt_tokens");
        return p.canConvertToExactIntegral() ? p.asInt() : -1;
    }

    /** The ids and texts of all entries (calibration, {@code logprob_start_len} 0). */
    static VllmProtocol.Tokens tokens(JsonNode item, String where) {
        JsonNode e = entries(item, where);
        long[] ids = new long[e.size()];
        String[] texts = new String[e.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode row = e.get(i);
            ids[i] = id(row, where + ": input_token_logprobs[" + i + "]");
            texts[i] = row.path(2).isTextual() ? row.get(2).asText() : null;
        }
        return new VllmProtocol.Tokens(ids, texts);
    }

    private static long id(JsonNode row, String where) {
        if (row == null || !row.isArray() || row.size() < 2 || !row.get(1).canConvertToExactIntegral()) {
            throw new ScoringException(where + " is not [logprob, token_id, text]: " + row);
        }
        return row.get(1).asLong();
    }

    /**
     * Target probabilities from one item.
     *
     * @param logprobStart the request's {@code logprob_start_len}, to check the count of entries against
     *                     {@code prompt_tokens}
     */
    static double[] targetProbabilities(JsonNode item, int logprobStart, long[] tail, int[] offsets, String where) {
        JsonNode e = entries(item, where);
        int n = e.size();
        int prompt = promptTokens(item);
        if (prompt >= 0 && prompt - logprobStart != n) {
            throw new ScoringException(where + ": input_token_logprobs has " + n + " entries, but prompt_tokens " + prompt
                    + " from logprob_start_len " + logprobStart + " means " + (prompt - logprobStart));
        }
        if (n < tail.length + 1) {
            throw new ScoringException(where + ": input_token_logprobs has " + n + " entries, fewer than the " + (tail.length + 1)
                    + " the answer needs");
        }
        int start = n - tail.length;
        for (int i = 0; i < tail.length; i++) {
            long id = id(e.get(start + i), where + ": input_token_logprobs[" + (start + i) + "]");
            if (id != tail[i]) {
                throw new ScoringException(where + ": the prompt ends with token id " + id + " where the answer has " + tail[i]
                        + " (position " + i + " of the answer's tail); the answer positions cannot be trusted");
            }
        }
        double[] out = new double[offsets.length];
        for (int t = 0; t < offsets.length; t++) {
            int pos = start + offsets[t];
            JsonNode lp = e.get(pos).get(0);
            String w = where + ": input_token_logprobs[" + pos + "]";
            if (lp == null || lp.isNull()) {
                out[t] = 0.0; // -inf, written as null
            } else if (lp.isNumber()) {
                out[t] = VllmProtocol.probability(lp.asDouble(), w);
            } else {
                throw new ScoringException(w + " has no numeric logprob: " + e.get(pos));
            }
        }
        return out;
    }
}
