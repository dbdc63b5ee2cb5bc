package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.text.PromptMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests and answers of OpenAI-style chat completions with {@code logprobs} of generated tokens
 * (docs/backends.md, "Hosted API requests"; docs/method.md §12).
 */
final class HostedApiProtocol {
    static final String CHAT = "/v1/chat/completions";
    /** The instruction that asks the model to continue the assistant's prefix (the prefix is context, not a prefill). */
    static final String SYSTEM = "You continue text. The last assistant message is unfinished: reply with only the words"
            + " that come next, nothing before them.";
    private static final Pattern PIECES = Pattern.compile("\\s*[\\p{L}\\p{N}]+|\\s*[^\\s\\p{L}\\p{N}]|\\s+$");

    private HostedApiProtocol() {
    }

    /**
     * A generation request: the conversation's earlier messages, then the user message with one image part per image, in
     * order, and the prompt.
     */
    static ObjectNode generateRequest(String model, List<PromptMessage> history, List<String> imageUrls, String prompt,
                                      int maxTokens) {
        ObjectNode r = Json.object();
        r.put("model", model);
        ArrayNode messages = r.putArray("messages");
        addHistory(messages, history);
        messages.add(userMessage(imageUrls, prompt));
        r.put("max_tokens", maxTokens);
        r.put("temperature", 0);
        r.put("logprobs", true);
        r.put("top_logprobs", 1);
        return r;
    }

    /** One step of token-by-token scoring: the answer's first tokens as an assistant message, one new token asked for. */
    static ObjectNode stepRequest(String model, List<PromptMessage> history, List<String> imageUrls, String prompt, String prefix,
                                  int topLogprobs) {
        ObjectNode r = Json.object();
        r.put("model", model);
        ArrayNode messages = r.putArray("messages");
        ObjectNode system = messages.addObject();
        system.put("role", "system");
        system.put("content", SYSTEM);
        addHistory(messages, history);
        messages.add(userMessage(imageUrls, prompt));
        if (!prefix.isEmpty()) {
            messages.add(VllmProtocol.assistantMessage(prefix));
        }
        r.put("max_tokens", 1);
        r.put("temperature", 0);
        r.put("logprobs", true);
        r.put("top_logprobs", topLogprobs);
        return r;
    }

    /**
     * The messages before the question, as text; a message left empty (all its words dropped by text regions) is left
     * out, as APIs refuse empty content.
     */
    private static void addHistory(ArrayNode messages, List<PromptMessage> history) {
        for (PromptMessage m : history) {
            if (!m.text().isEmpty()) {
                messages.addObject().put("role", m.role().jsonName()).put("content", m.text());
            }
        }
    }

    /** The user turn; an empty prompt (every word dropped by text regions) sends the images alone. */
    private static ObjectNode userMessage(List<String> imageUrls, String prompt) {
        ObjectNode user = VllmProtocol.userMessage(imageUrls, prompt);
        if (prompt.isEmpty()) {
            ((ArrayNode) user.get("content")).remove(imageUrls.size());
        }
        return user;
    }

    /** The generated token strings of a generation answer, or an empty list when the API returned no logprobs. */
    static List<String> generatedTokens(JsonNode r) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : r.path("choices").path(0).path("logprobs").path("content")) {
            if (c.path("token").isTextual()) {
                out.add(c.get("token").asText());
            }
        }
        return out;
    }

    /**
     * Word-like pieces of a text, each with the whitespace before it: the stand-in tokenisation of an answer the API did
     * not generate here (hosted APIs do not tokenise for us).
     */
    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PIECES.matcher(text);
        while (m.find()) {
            if (!m.group().isBlank()) {
                out.add(m.group());
            }
        }
        return out;
    }

    /**
     * The probability of {@code target} as the first generated token: {@code exp(logprob)} of the first of its
     * {@code top_logprobs} that equals the target, or equals it without leading whitespace; absent when none does or when
     * the model generated nothing (it ended the turn at once).
     *
     * @return the probability, or -1 when absent (scored 0 and counted)
     */
    static double stepProbability(JsonNode r, String target, String where) {
        JsonNode content = r.path("choices").path(0).path("logprobs").path("content");
        if (content.isArray() && content.isEmpty()) {
            return -1; // the model ended its turn at once: the target was not its first token, nothing more is known
        }
        JsonNode top = content.path(0).get("top_logprobs");
        if (top == null || !top.isArray()) {
            throw new ScoringException(where + ": the answer has no choices[0].logprobs.content[0].top_logprobs (models that"
                    + " reason before answering return no logprobs)");
        }
        String stripped = target.stripLeading();
        for (JsonNode c : top) {
            String token = c.path("token").asText(null);
            if (token != null && (token.equals(target) || token.equals(stripped))) {
                JsonNode lp = c.get("logprob");
                if (lp == null || !lp.isNumber()) {
                    throw new ScoringException(where + ": top_logprobs entry '" + token + "' has no numeric logprob");
                }
                return VllmProtocol.probability(lp.asDouble(), where);
            }
        }
        return -1;
    }

    static long usage(JsonNode r, String field) {
        JsonNode u = r.path("usage").path(field);
        return u.canConvertToExactIntegral() ? u.asLong() : 0;
    }
}
