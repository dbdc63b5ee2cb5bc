package io.github.eagle4j.onnx.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.onnx.hub.ModelDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's binding of the Rust {@code tokenizers} library, configured
 * for chat text: no special tokens added (the chat template writes them), no truncation (DJL's default would
 * cut at 512 tokens), no padding. The vocabulary is also read from the JSON, for id ↔ token lookups and the
 * vocabulary-size check against the model.
 *
 * <p>Thread-safe for encoding and decoding; close it to free the native tokenizer.
 */
public final class HfTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final String[] tokenOfId;
    private final Map<String, Long> idOfToken;
    private final Set<Long> specialIds;
    private final int size;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, String[] tokenOfId, Map<String, Long> idOfToken, Set<Long> specialIds) {
        this.tokenizer = tokenizer;
        this.tokenOfId = tokenOfId;
        this.idOfToken = idOfToken;
        this.specialIds = specialIds;
        this.size = tokenOfId.length;
    }

    /**
     * Loads {@code tokenizer.json}.
     *
     * @throws InvalidInputException naming the file when it cannot be read or holds no vocabulary
     */
    public static HfTokenizer load(Path tokenizerJson) {
        String name = tokenizerJson.getFileName().toString();
        JsonNode json = ModelDirectory.plain(tokenizerJson.toAbsolutePath().getParent()).json(name);
        Map<String, Long> ids = new HashMap<>();
        Set<Long> special = new HashSet<>();
        JsonNode vocab = json.path("model").path("vocab");
        if (vocab.isObject()) {
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                if (!e.getValue().isIntegralNumber()) {
                    throw new InvalidInputException(name + ": model.vocab entry '" + e.getKey() + "' has no whole-number id");
                }
                ids.put(e.getKey(), e.getValue().asLong());
            }
        } else if (vocab.isArray()) {
            long i = 0;
            for (JsonNode piece : vocab) {
                ids.put(piece.isArray() ? piece.path(0).asText() : piece.asText(), i++);
            }
        } else {
            throw new InvalidInputException(name + ": missing field model.vocab");
        }
        for (JsonNode t : json.path("added_tokens")) {
            if (!t.path("id").isIntegralNumber() || !t.path("content").isTextual()) {
                throw new InvalidInputException(name + ": added_tokens entry without id and content: " + t);
            }
            long id = t.get("id").asLong();
            ids.put(t.get("content").asText(), id);
            if (t.path("special").asBoolean(false)) {
                special.add(id);
            }
        }
        long max = -1;
        for (long id : ids.values()) {
            if (id < 0) {
                throw new InvalidInputException(name + ": negative token id " + id);
            }
            max = Math.max(max, id);
        }
        if (max < 0) {
            throw new InvalidInputException(name + ": the vocabulary is empty");
        }
        if (max >= Integer.MAX_VALUE - 8) {
            throw new InvalidInputException(name + ": token id " + max + " is too large");
        }
        String[] tokens = new String[(int) max + 1];
        for (Map.Entry<String, Long> e : ids.entrySet()) {
            tokens[(int) (long) e.getValue()] = e.getKey();
        }
        DjlNatives.prepare();
        Map<String, String> options = Map.of(
                "addSpecialTokens", "false",
                "truncation", "false",
                "padding", "false",
                "withOverflowingTokens", "false");
        HuggingFaceTokenizer hf;
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            hf = HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException e) {
            throw new InvalidInputException(name + " cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new InvalidInputException(name + " is not a tokenizer the tokenizers library can load: "
                    + ModelDirectory.firstLine(e.getMessage()), e);
        }
        return new HfTokenizer(hf, tokens, Map.copyOf(ids), Set.copyOf(special));
    }

    /** The ids and token strings of {@code text}, special tokens in the text matched as such, nothing added. */
    public Encoded encode(String text) {
        Encoding e = tokenizer.encode(text, false, false);
        return new Encoded(e.getIds(), e.getTokens());
    }

    /**
     * Encodes as {@link #encode} and gives each token's character range in {@code text} as {@code String} indices
     * (UTF-16 units; the tokenizers library counts Unicode code points, converted here). Tokens of one multi-byte
     * character share its range; a token with no characters (added by a post-processor) gets an empty range.
     */
    public Offsets encodeWithOffsets(String text) {
        Encoding e = tokenizer.encode(text, false, false);
        ai.djl.huggingface.tokenizers.jni.CharSpan[] spans = e.getCharTokenSpans();
        int points = text.codePointCount(0, text.length());
        int[] unitOfPoint = new int[points + 1];
        for (int cp = 0, i = 0; cp < points; cp++) {
            unitOfPoint[cp] = i;
            i += Character.charCount(text.codePointAt(i));
        }
        unitOfPoint[points] = text.length();
        long[] ids = e.getIds();
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ai.djl.huggingface.tokenizers.jni.CharSpan sp = spans == null ? null : spans[i];
            if (sp == null) {
                continue;
            }
            int s = Math.max(0, Math.min(points, sp.getStart()));
            int en = Math.max(s, Math.min(points, sp.getEnd()));
            starts[i] = unitOfPoint[s];
            ends[i] = unitOfPoint[en];
        }
        return new Offsets(new Encoded(ids, e.getTokens()), starts, ends);
    }

    /**
     * An encoded text with each token's character range.
     *
     * @param encoded ids and token strings
     * @param starts  per token, the first {@code String} index it covers
     * @param ends    per token, one past the last
     */
    public record Offsets(Encoded encoded, int[] starts, int[] ends) {
    }

    /** Decodes ids as transformers' {@code tokenizer.decode} does. */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    /** The token string of an id (e.g. {@code Ġcat}), or {@code null} when the vocabulary has no such id. */
    public String token(long id) {
        return id >= 0 && id < size ? tokenOfId[(int) id] : null;
    }

    /** The id of a token string, if it is in the vocabulary. */
    public OptionalLong id(String token) {
        Long id = idOfToken.get(token);
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** Largest token id + 1 (the model's vocabulary must be at least this large). */
    public int size() {
        return size;
    }

    /** Ids of the tokens marked special in {@code added_tokens}. */
    public Set<Long> specialIds() {
        return specialIds;
    }

    /** DJL's truncation setting, for checks: must be {@code DO_NOT_TRUNCATE}. */
    public String truncation() {
        return tokenizer.getTruncation();
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /**
     * One encoded text.
     *
     * @param ids    token ids
     * @param tokens token strings, one per id
     */
    public record Encoded(long[] ids, String[] tokens) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Encoded e && Arrays.equals(e.ids, ids) && Arrays.equals(e.tokens, tokens);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(ids) + Arrays.hashCode(tokens);
        }

        @Override
        public String toString() {
            return "Encoded" + Arrays.toString(tokens);
        }
    }
}
