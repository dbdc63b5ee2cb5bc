package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.github.eagle4j.RgbImage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A loopback hosted chat API in OpenAI's shape (docs/backends.md, "Hosted API requests"): bearer-key authentication (a wrong key is
 * echoed back in the error, as careless services do), {@code logprobs}/{@code top_logprobs} of generated tokens only,
 * {@code usage}. Behind it the tiny model continues a trailing assistant message (a prefill), so listed probabilities
 * are the model's real ones; token strings carry a leading space except at the start of the answer.
 */
final class FakeOpenAi implements AutoCloseable {
    final LoopbackServer server = new LoopbackServer();
    final TinyModel tiny = TinyModel.get();
    private final String key;
    /** Image parts per request, in arrival order. */
    final java.util.Queue<Integer> imagesPerRequest = new java.util.concurrent.ConcurrentLinkedQueue<>();

    FakeOpenAi(String key) {
        this.key = key;
        server.route(HostedApiProtocol.CHAT, this::chat);
    }

    String url() {
        return server.url();
    }

    private JsonNode chat(JsonNode body, HttpExchange ex) throws LoopbackServer.Status {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + key)) {
            String presented = auth == null ? "none" : auth.substring(auth.indexOf(' ') + 1);
            throw new LoopbackServer.Status(401, "Incorrect API key provided: " + presented + ". You can find your API key at"
                    + " https://example.invalid/keys.");
        }
        // the conversation as the tiny model's template reads it: earlier turns as text, the user turn with the images,
        // and a trailing assistant message as the prefix to continue; the client's continuation instruction is not shown
        List<RgbImage> images = new ArrayList<>();
        List<Map<String, Object>> messages = new ArrayList<>();
        String prefix = "";
        JsonNode all = body.path("messages");
        for (int i = 0; i < all.size(); i++) {
            JsonNode m = all.get(i);
            String role = m.path("role").asText();
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                if (content.asText().isEmpty()) {
                    throw new LoopbackServer.Status(400, "Invalid 'messages[" + i + "].content': empty string");
                }
                if (!(role.equals("system") && content.asText().equals(HostedApiProtocol.SYSTEM))) {
                    messages.add(Map.of("role", role, "content", List.of(Map.of("type", "text", "text", content.asText()))));
                }
                continue;
            }
            if (role.equals("assistant") && i == all.size() - 1) {
                prefix = content.path(0).path("text").asText();
                continue;
            }
            List<Map<String, Object>> parts = new ArrayList<>();
            for (JsonNode p : content) {
                if (p.path("type").asText().equals("image_url")) {
                    images.add(FakeVllm.decode(p.path("image_url").path("url").asText()));
                    parts.add(Map.of("type", "image"));
                } else if (p.path("text").asText().isEmpty()) {
                    throw new LoopbackServer.Status(400, "Invalid 'messages[" + i + "].content[" + parts.size() + "].text': empty string");
                } else {
                    parts.add(Map.of("type", "text", "text", p.path("text").asText()));
                }
            }
            messages.add(Map.of("role", role, "content", parts));
        }
        if (images.isEmpty()) {
            throw new LoopbackServer.Status(400, "a user message with an image is needed");
        }
        imagesPerRequest.add(images.size());
        boolean prefill = !prefix.isEmpty();
        if (prefill) {
            messages.add(Map.of("role", "assistant", "content", List.of(Map.of("type", "text", "text", prefix))));
        }
        long[] ids = tiny.tokenize(tiny.render(messages, !prefill, prefill), images.size()).ids();
        int maxTokens = body.path("max_tokens").asInt(16);
        int top = body.path("top_logprobs").asInt(0);
        TinyModel.Greedy g = tiny.greedy(images, ids, maxTokens);
        long[] content = Arrays.stream(g.ids()).filter(id -> id != tiny.eosId).toArray();
        ObjectNode r = Json.object();
        r.put("id", "chatcmpl-x").put("object", "chat.completion").put("model", body.path("model").asText());
        ObjectNode choice = r.putArray("choices").addObject();
        StringBuilder text = new StringBuilder();
        ArrayNode lpContent = Json.array();
        for (int i = 0; i < content.length; i++) {
            boolean space = prefill || i > 0;
            String tok = (space ? " " : "") + tiny.token(content[i]);
            text.append(tok);
            ObjectNode c = lpContent.addObject();
            c.put("token", tok).put("logprob", g.logprobs()[i]);
            c.set("bytes", bytes(tok));
            ArrayNode tops = c.putArray("top_logprobs");
            double[] row = g.rows()[i];
            Integer[] order = new Integer[row.length];
            for (int v = 0; v < row.length; v++) {
                order[v] = v;
            }
            Arrays.sort(order, (a, b) -> row[a] != row[b] ? Double.compare(row[b], row[a]) : Integer.compare(a, b));
            for (int k = 0; k < top; k++) {
                String t = (space ? " " : "") + tiny.token(order[k]);
                tops.addObject().put("token", t).put("logprob", row[order[k]]).set("bytes", bytes(t));
            }
        }
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text.toString());
        if (body.path("logprobs").asBoolean(false)) {
            choice.putObject("logprobs").set("content", lpContent);
        } else {
            choice.putNull("logprobs");
        }
        choice.put("finish_reason", g.stopped() ? "stop" : "length");
        r.putObject("usage").put("prompt_tokens", ids.length).put("completion_tokens", content.length)
                .put("total_tokens", ids.length + content.length);
        return r;
    }

    private static ArrayNode bytes(String s) {
        ArrayNode a = Json.array();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            a.add(b & 0xFF);
        }
        return a;
    }

    @Override
    public void close() {
        server.close();
    }
}
