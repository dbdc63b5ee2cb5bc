package io.github.eagle4j.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * The JSON mapper of this module: compact output in field insertion order (requests are byte-for-byte what
 * docs/backends.md shows), and input that may carry {@code NaN}/{@code -Infinity} literals (Python servers) and
 * long strings (image data URLs).
 */
final class Json {
    static final JsonMapper MAPPER = mapper();

    private Json() {
    }

    private static JsonMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(512 * 1024 * 1024).build())
                .build();
        return JsonMapper.builder(factory).build();
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Parses a response body; {@link IOException} when it is not JSON. */
    static JsonNode parse(byte[] body) throws IOException {
        JsonNode n = MAPPER.readTree(body);
        if (n == null || n.isMissingNode()) {
            throw new IOException("empty body");
        }
        return n;
    }
}
