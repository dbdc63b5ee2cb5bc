package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What eagle4j reads from {@code config.json} and {@code generation_config.json} of a LLaVA-family model.
 *
 * @param modelType        {@code model_type}; only {@link #SUPPORTED_MODEL_TYPES} are accepted
 * @param imageTokenId     {@code image_token_index} (or {@code image_token_id})
 * @param imageSeqLength   {@code image_seq_length} when the file gives it, else -1
 * @param vocabSize        {@code text_config.vocab_size}
 * @param hiddenSize       {@code text_config.hidden_size}
 * @param numLayers        {@code text_config.num_hidden_layers}
 * @param numKeyValueHeads {@code text_config.num_key_value_heads} (defaults to the attention heads)
 * @param headDim          {@code text_config.head_dim} (defaults to hidden size / attention heads)
 * @param imageSize        {@code vision_config.image_size}
 * @param patchSize        {@code vision_config.patch_size}
 * @param eosTokenIds      end-of-sequence ids: {@code generation_config.json} first, else {@code config.json}
 */
record ModelConfig(String modelType, long imageTokenId, int imageSeqLength, int vocabSize, int hiddenSize,
                   int numLayers, int numKeyValueHeads, int headDim, int imageSize, int patchSize,
                   List<Long> eosTokenIds) {

    /** Model types this backend can run. */
    static final Set<String> SUPPORTED_MODEL_TYPES = Set.of("llava");

    ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    static ModelConfig read(ModelDirectory dir) {
        String f = ModelDirectory.CONFIG;
        JsonNode c = dir.json(f);
        String type = JsonFields.requireString(c, f, "model_type");
        if (!SUPPORTED_MODEL_TYPES.contains(type)) {
            throw new InvalidInputException(f + ": model_type '" + type + "' is not supported by the onnx backend (supported: "
                    + String.join(", ", SUPPORTED_MODEL_TYPES.stream().sorted().toList()) + ")");
        }
        long imageToken = JsonFields.optionalLong(c, f, "image_token_index")
                .or(() -> JsonFields.optionalLong(c, f, "image_token_id"))
                .orElseThrow(() -> new InvalidInputException(f + ": missing field image_token_index"));
        int seqLen = JsonFields.optionalPositiveInt(c, f, "image_seq_length").orElse(-1);
        int vocab = JsonFields.requirePositiveInt(c, f, "text_config.vocab_size");
        int hidden = JsonFields.requirePositiveInt(c, f, "text_config.hidden_size");
        int layers = JsonFields.requirePositiveInt(c, f, "text_config.num_hidden_layers");
        int heads = JsonFields.requirePositiveInt(c, f, "text_config.num_attention_heads");
        int kvHeads = JsonFields.optionalPositiveInt(c, f, "text_config.num_key_value_heads").orElse(heads);
        int headDim = JsonFields.optionalPositiveInt(c, f, "text_config.head_dim").orElse(hidden / heads);
        int imageSize = JsonFields.requirePositiveInt(c, f, "vision_config.image_size");
        int patch = JsonFields.requirePositiveInt(c, f, "vision_config.patch_size");
        if (imageToken < 0 || imageToken >= vocab) {
            throw new InvalidInputException(f + ": image_token_index " + imageToken + " is outside the vocabulary (text_config.vocab_size "
                    + vocab + ")");
        }
        List<Long> eos = new ArrayList<>();
        Optional<JsonNode> gen = dir.optionalJson(ModelDirectory.GENERATION_CONFIG);
        gen.ifPresent(g -> eos.addAll(JsonFields.longOrList(g, ModelDirectory.GENERATION_CONFIG, "eos_token_id")));
        if (eos.isEmpty()) {
            eos.addAll(JsonFields.longOrList(c, f, "text_config.eos_token_id"));
        }
        if (eos.isEmpty()) {
            eos.addAll(JsonFields.longOrList(c, f, "eos_token_id"));
        }
        if (eos.isEmpty()) {
            throw new InvalidInputException(ModelDirectory.GENERATION_CONFIG + ": missing field eos_token_id (also absent from " + f + ")");
        }
        for (long id : eos) {
            if (id < 0 || id >= vocab) {
                throw new InvalidInputException(ModelDirectory.GENERATION_CONFIG + ": eos_token_id " + id
                        + " is outside the vocabulary (text_config.vocab_size " + vocab + ")");
            }
        }
        return new ModelConfig(type, imageToken, seqLen, vocab, hidden, layers, kvHeads, headDim, imageSize, patch, eos);
    }
}
