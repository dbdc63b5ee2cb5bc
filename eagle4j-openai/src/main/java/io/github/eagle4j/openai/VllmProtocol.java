package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.text.PromptMessage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Request bodies and response reading for vLLM's OpenAI-compatible server (docs/backends.md, "vLLM requests").
 *
 * <p>Reading {@code prompt_logprobs}: it has one entry per prompt token, entry 0 {@code null}; entry {@code i} maps token
 * ids written as JSON strings to {@code {logprob, rank, decoded_token}} and always holds the actual prompt token
 * (vLLM adds it to the top-N). So:
 * <ul>
 *   <li>{@code -9999} (vLLM's clamp of {@code -inf}) and anything below it reads as probability 0;</li>
 *   <li>an entry that lacks the answer token is an error, even when other keys show its rank would be outside the
 *       top-N: the server is not speaking vLLM's format, and no number is guessed;</li>
 *   <li>a list whose length differs from {@code prompt_token_ids}, a {@code null} or non-object entry at an answer
 *       position, {@code NaN}, or a log-probability above 0 (beyond rounding) are errors;</li>
 *   <li>the tail of {@code prompt_token_ids} must be the answer's ids found by {@code /tokenize}, so positions are never
 *       off by one;</li>
 *   <li>without {@code prompt_token_ids} (vLLM before 0.10.2) the list must be as long as {@code usage.prompt_tokens},
 *       and an answer with neither is refused.</li>
 * </ul>
 */
final class VllmProtocol {
    /** vLLM writes {@code -inf} as this. */
    static final double CLAMP = -9999.0;
    /** Log-probabilities this far above 0 are rounding; beyond it, an error. */
    private static final double ROUNDING = 1e-4;

    private VllmProtocol() {
    }

    static ObjectNode userMessage(String imageUrl, String prompt) {
        return userMessage(imageUrl == null ? List.of() : List.of(imageUrl), prompt);
    }

    /** The user's turn: one image part per image, in order, then the prompt (the OpenAI chat format). */
    static ObjectNode userMessage(List<String> imageUrls, String prompt) {
        ObjectNode m = Json.object();
        m.put("role", "user");
        ArrayNode content = m.putArray("content");
        for (String imageUrl : imageUrls) {
            ObjectNode img = content.addObject();
            img.put("type", "image_url");
            img.putObject("image_url").put("url", imageUrl);
        }
        ObjectNode text = content.addObject();
        text.put("type", "text");
        text.put("text", prompt);
        return m;
    }

    /**
     * The user's turn with one video: a {@code video_url} part holding the frames, then the prompt. The URL is vLLM's
     * frame-sequence form, {@code data:video/jpeg;base64,} and one base64 image per frame joined by commas, which
     * {@code VideoMediaIO.load_base64} splits and opens one by one with PIL (which reads PNG whatever the media type
     * says), so the frames arrive losslessly and in order (docs/backends.md, "Video through vLLM").
     */
    static ObjectNode videoMessage(List<String> framesBase64, String prompt) {
        ObjectNode m = Json.object();
        m.put("role", "user");
        ArrayNode content = m.putArray("content");
        ObjectNode video = content.addObject();
        video.put("type", "video_url");
        video.putObject("video_url").put("url", VIDEO_FRAMES_PREFIX + String.join(",", framesBase64));
        ObjectNode text = content.addObject();
        text.put("type", "text");
        text.put("text", prompt);
        return m;
    }

    /** vLLM's media type for a video sent as its frames, one image each. */
    static final String VIDEO_FRAMES_PREFIX = "data:video/jpeg;base64,";

    /**
     * Adds to a request what makes vLLM take the frames as sent: {@code media_io_kwargs.video} (every frame, with the
     * source's rate, frame numbers and length as the video's metadata) and {@code mm_processor_kwargs}
     * ({@code do_sample_frames: false}, so the model's video processor samples no frames again; {@code fps}: the sampled
     * frames' rate, from which Qwen2.5-VL's processor spaces its temporal positions).
     */
    static ObjectNode withVideo(ObjectNode request, VideoClip clip) {
        int n = clip.count();
        double[] ts = clip.timestamps();
        int[] idx = clip.sourceIndices();
        // the source's rate and length, recovered from the clip (sampled fps = n / total x source fps)
        double sourceFps = clip.sampledFps();
        for (int k = n - 1; k >= 0; k--) {
            if (ts[k] > 0) {
                sourceFps = idx[k] / ts[k];
                break;
            }
        }
        int total = Math.max(n, (int) Math.round(n * sourceFps / clip.sampledFps()));
        ObjectNode video = request.putObject("media_io_kwargs").putObject("video");
        video.put("num_frames", n);
        video.put("fps", sourceFps);
        ArrayNode indices = video.putArray("frames_indices");
        for (int i : idx) {
            indices.add(i);
        }
        video.put("total_num_frames", total);
        video.put("do_sample_frames", false);
        request.putObject("mm_processor_kwargs").put("do_sample_frames", false).put("fps", clip.sampledFps());
        return request;
    }

    /**
     * The conversation's earlier messages (system prompt, earlier turns), each with one text part, as the in-process
     * backend hands them to the chat template.
     */
    static void addHistory(ArrayNode messages, List<PromptMessage> history) {
        for (PromptMessage m : history) {
            ObjectNode message = messages.addObject();
            message.put("role", m.role().jsonName());
            ObjectNode text = message.putArray("content").addObject();
            text.put("type", "text");
            text.put("text", m.text());
        }
    }

    static ObjectNode assistantMessage(String answer) {
        ObjectNode m = Json.object();
        m.put("role", "assistant");
        ObjectNode text = m.putArray("content").addObject();
        text.put("type", "text");
        text.put("text", answer);
        return m;
    }

    /** The teacher-forcing request of docs/backends.md ("vLLM requests"); {@code closedTurn} keeps the end-of-turn token in the prompt. */
    static ObjectNode scoreRequest(String model, List<String> imageUrls, String prompt, String answer, boolean closedTurn) {
        return scoreRequest(model, List.of(), userMessage(imageUrls, prompt), answer, closedTurn);
    }

    /**
     * {@link #scoreRequest(String, List, String, String, boolean)} for a given user turn (images or a video) after the
     * conversation's earlier messages.
     */
    static ObjectNode scoreRequest(String model, List<PromptMessage> history, ObjectNode user, String answer, boolean closedTurn) {
        ObjectNode r = Json.object();
        r.put("model", model);
        ArrayNode messages = r.putArray("messages");
        addHistory(messages, history);
        messages.add(user);
        messages.add(assistantMessage(answer));
        r.put("add_generation_prompt", false);
        r.put("continue_final_message", !closedTurn);
        r.put("prompt_logprobs", 1);
        r.put("max_tokens", 1);
        r.put("temperature", 0);
        r.put("return_token_ids", true);
        return r;
    }

    /** Greedy generation of at most {@code maxTokens} tokens. */
    static ObjectNode generateRequest(String model, List<String> imageUrls, String prompt, int maxTokens) {
        return generateRequest(model, List.of(), userMessage(imageUrls, prompt), maxTokens);
    }

    /** {@link #generateRequest(String, List, String, int)} for a given user turn (images or a video) after the earlier messages. */
    static ObjectNode generateRequest(String model, List<PromptMessage> history, ObjectNode user, int maxTokens) {
        ObjectNode r = Json.object();
        r.put("model", model);
        ArrayNode messages = r.putArray("messages");
        addHistory(messages, history);
        messages.add(user);
        r.put("max_tokens", maxTokens);
        r.put("temperature", 0);
        return r;
    }

    /**
     * A text-only {@code /tokenize} request: the prompt, optionally the answer as the final assistant message.
     *
     * @param mode {@code gen} (generation prompt), {@code open} (answer, turn left open) or {@code closed} (turn closed)
     */
    static ObjectNode tokenizeRequest(String model, String prompt, String answer, String mode) {
        return tokenizeRequest(model, List.of(), prompt, answer, mode);
    }

    /** {@link #tokenizeRequest(String, String, String, String)} after the conversation's earlier messages. */
    static ObjectNode tokenizeRequest(String model, List<PromptMessage> history, String prompt, String answer, String mode) {
        ObjectNode r = Json.object();
        r.put("model", model);
        ArrayNode messages = r.putArray("messages");
        addHistory(messages, history);
        messages.add(userMessage(List.of(), prompt));
        if (!mode.equals("gen")) {
            messages.add(assistantMessage(answer));
        }
        r.put("add_generation_prompt", mode.equals("gen"));
        r.put("continue_final_message", mode.equals("open"));
        r.put("return_token_strs", true);
        return r;
    }

    /** Ids and token strings of a {@code /tokenize} answer. */
    record Tokens(long[] ids, String[] strings) {
    }

    static Tokens tokens(JsonNode r, String where) {
        JsonNode t = r.get("tokens");
        if (t == null || !t.isArray()) {
            throw new ScoringException(where + ": the /tokenize answer has no 'tokens' list");
        }
        long[] ids = new long[t.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenId(t.get(i), where + ": /tokenize tokens[" + i + "]");
        }
        String[] strs = null;
        JsonNode s = r.get("token_strs");
        if (s != null && s.isArray() && s.size() == ids.length) {
            strs = new String[ids.length];
            for (int i = 0; i < ids.length; i++) {
                strs[i] = s.get(i).isTextual() ? s.get(i).asText() : null;
            }
        }
        return new Tokens(ids, strs);
    }

    private static long tokenId(JsonNode n, String what) {
        if (n == null || !n.canConvertToExactIntegral() || n.asLong() < 0) {
            throw new ScoringException(what + " is not a token id: " + n);
        }
        return n.asLong();
    }

    /**
     * The probabilities of the targets from one chat-completions answer.
     *
     * @param tail       the ids the prompt must end with (answer tokens and, for a closed turn, what follows)
     * @param offsets    each target's position within the tail
     * @param targetIds  each target's id
     * @param where      the endpoint and request, for messages
     */
    static double[] targetProbabilities(JsonNode r, long[] tail, int[] offsets, long[] targetIds, String where) {
        JsonNode lps = r.get("prompt_logprobs");
        if (lps == null || !lps.isArray()) {
            throw new ScoringException(where + ": the answer has no prompt_logprobs list (vLLM adds it when the request asks for"
                    + " prompt_logprobs; is this a vLLM server?)");
        }
        int n = lps.size();
        JsonNode ids = r.get("prompt_token_ids");
        long[] promptIds = null;
        if (ids != null && ids.isArray()) {
            if (ids.size() != n) {
                throw new ScoringException(where + ": prompt_logprobs has " + n + " entries but prompt_token_ids has " + ids.size()
                        + "; they must match one to one");
            }
            promptIds = new long[n];
            for (int i = 0; i < n; i++) {
                promptIds[i] = tokenId(ids.get(i), where + ": prompt_token_ids[" + i + "]");
            }
        }
        if (promptIds == null) {
            checkLengthWithoutIds(r, n, where);
        }
        if (n < tail.length + 1) {
            throw new ScoringException(where + ": prompt_logprobs has " + n + " entries, fewer than the " + (tail.length + 1)
                    + " the answer needs");
        }
        int start = n - tail.length;
        if (promptIds != null) {
            for (int i = 0; i < tail.length; i++) {
                if (promptIds[start + i] != tail[i]) {
                    throw new ScoringException(where + ": the prompt ends with token ids " + tailOf(promptIds, tail.length)
                            + " but /tokenize gave " + java.util.Arrays.toString(tail)
                            + " for the answer; the answer positions cannot be trusted");
                }
            }
        }
        double[] out = new double[offsets.length];
        for (int t = 0; t < offsets.length; t++) {
            int pos = start + offsets[t];
            JsonNode entry = lps.get(pos);
            if (entry == null || !entry.isObject()) {
                throw new ScoringException(where + ": prompt_logprobs[" + pos + "] (answer token id " + targetIds[t] + ") is "
                        + (entry == null || entry.isNull() ? "null" : "not an object"));
            }
            JsonNode e = entry.get(Long.toString(targetIds[t]));
            if (e == null) {
                throw new ScoringException(where + ": prompt_logprobs[" + pos + "] lacks answer token id " + targetIds[t]
                        + " (it has " + keysAndRanks(entry) + "); vLLM always includes the prompt token, so its probability"
                        + " is unknown and no number is guessed");
            }
            JsonNode lp = e.isObject() ? e.get("logprob") : e;
            if (lp == null || !lp.isNumber()) {
                throw new ScoringException(where + ": prompt_logprobs[" + pos + "][\"" + targetIds[t] + "\"] has no numeric logprob: " + e);
            }
            out[t] = probability(lp.asDouble(), where + ": prompt_logprobs[" + pos + "]");
        }
        return out;
    }

    /**
     * Without {@code prompt_token_ids} (vLLM before 0.10.2) positions are counted from the end of {@code prompt_logprobs},
     * so a list one entry short would shift every answer position by one, and on a repetitive answer the shifted entry
     * still holds the target's id. The list must therefore be exactly as long as the prompt the server says it scored
     * ({@code usage.prompt_tokens}: the conversation's {@code /tokenize} count plus the image's tokens).
     */
    private static void checkLengthWithoutIds(JsonNode r, int n, String where) {
        JsonNode promptTokens = r.path("usage").path("prompt_tokens");
        if (!promptTokens.canConvertToExactIntegral()) {
            throw new ScoringException(where + ": the answer has neither prompt_token_ids nor usage.prompt_tokens, so the answer's"
                    + " positions in prompt_logprobs cannot be checked; use vLLM 0.10.2 or later (it returns prompt_token_ids)");
        }
        if (promptTokens.asLong() != n) {
            throw new ScoringException(where + ": prompt_logprobs has " + n + " entries but usage.prompt_tokens is "
                    + promptTokens.asLong() + "; counted from the end, the answer's positions would be shifted, so no number is"
                    + " read (vLLM before 0.10.2 returns no prompt_token_ids to check against; 0.10.2 or later does)");
        }
    }

    /** {@code exp(logprob)}, with vLLM's {@code -9999} clamp read as 0. */
    static double probability(double logprob, String where) {
        if (Double.isNaN(logprob)) {
            throw new ScoringException(where + ": log-probability is NaN");
        }
        if (logprob <= CLAMP) {
            return 0.0;
        }
        if (logprob > ROUNDING) {
            throw new ScoringException(where + ": log-probability " + logprob + " is above 0");
        }
        return Math.min(1.0, Math.exp(logprob));
    }

    private static String tailOf(long[] a, int k) {
        return java.util.Arrays.toString(java.util.Arrays.copyOfRange(a, a.length - k, a.length));
    }

    private static String keysAndRanks(JsonNode entry) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entry.fields(); it.hasNext() && parts.size() < 5; ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode rank = f.getValue().path("rank");
            parts.add(f.getKey() + (rank.isNumber() ? " rank " + rank.asLong() : ""));
        }
        return parts.isEmpty() ? "no ids" : "ids " + String.join(", ", parts);
    }
}
