package io.github.eagle4j.onnx.family;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.onnx.hub.JsonFields;
import io.github.eagle4j.onnx.hub.ModelDirectory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What eagle4j reads from {@code config.json} and {@code generation_config.json} for every family: the language
 * model's sizes and the special token ids. Text-model fields are read from {@code text_config} (transformers 5) or,
 * when absent there, from the top level (the flat configs of older exports, e.g. onnx-community's Qwen2-VL).
 * Family-specific fields are read by the family ({@link ModelFamily}).
 *
 * @param modelType        {@code model_type}; one of {@link ModelFamilies#supportedModelTypes()}
 * @param imageTokenId     {@code image_token_index} or {@code image_token_id}
 * @param imageTokenField  which of the two the config names (for messages)
 * @param vocabSize        {@code text_config.vocab_size}
 * @param hiddenSize       {@code text_config.hidden_size}
 * @param numLayers        {@code text_config.num_hidden_layers}
 * @param numKeyValueHeads {@code text_config.num_key_value_heads} (defaults to the attention heads)
 * @param headDim          {@code text_config.head_dim} (defaults to hidden size / attention heads)
 * @param eosTokenIds      end-of-sequence ids: {@code generation_config.json} first, else {@code config.json}
 * @param maxPositions     {@code text_config.max_position_embeddings} (or {@code n_positions}): the longest sequence the
 *                         model takes; 0 when the config names none
 */
public record ModelConfig(String modelType, long imageTokenId, String imageTokenField, int vocabSize, int hiddenSize, int numLayers, int numKeyValueHeads,
                   int headDim, List<Long> eosTokenIds, int maxPositions) {
    /** The config field {@link #maxPositions()} comes from, for messages. */
    public static final String MAX_POSITIONS_FIELD = "max_position_embeddings";


    public ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    public static ModelConfig read(ModelDirectory dir) {
        String f = ModelDirectory.CONFIG;
        JsonNode c = dir.json(f);
        String type = JsonFields.requireString(c, f, "model_type");
        if (!ModelFamilies.supports(type)) {
            throw ModelFamilies.unsupported(type);
        }
        String imageField = JsonFields.at(c, "image_token_index").isPresent() ? "image_token_index" : "image_token_id";
        long imageToken = JsonFields.optionalLong(c, f, imageField)
                .orElseThrow(() -> new InvalidInputException(f + ": missing field image_token_index (or image_token_id)"));
        int vocab = JsonFields.requirePositiveInt(c, f, textField(c, "vocab_size"));
        int hidden = JsonFields.requirePositiveInt(c, f, textField(c, "hidden_size"));
        int layers = JsonFields.requirePositiveInt(c, f, textField(c, "num_hidden_layers"));
        int heads = JsonFields.requirePositiveInt(c, f, textField(c, "num_attention_heads"));
        int kvHeads = JsonFields.optionalPositiveInt(c, f, textField(c, "num_key_value_heads")).orElse(heads);
        int headDim = JsonFields.optionalPositiveInt(c, f, textField(c, "head_dim")).orElse(hidden / heads);
        if (imageToken < 0 || imageToken >= vocab) {
            throw new InvalidInputException(f + ": " + imageField + " " + imageToken + " is outside the vocabulary (vocab_size "
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
                        + " is outside the vocabulary (vocab_size " + vocab + ")");
            }
        }
        int maxPositions = JsonFields.optionalPositiveInt(c, f, textField(c, MAX_POSITIONS_FIELD))
                .or(() -> JsonFields.optionalPositiveInt(c, f, textField(c, "n_positions"))).orElse(0);
        return new ModelConfig(type, imageToken, imageField, vocab, hidden, layers, kvHeads, headDim, eos, maxPositions);
    }

    /** {@code text_config.NAME} when the config nests the text model's fields, else the top-level {@code NAME}. */
    static String textField(JsonNode config, String name) {
        if (JsonFields.at(config, "text_config." + name).isPresent() || JsonFields.at(config, name).isEmpty()) {
            return "text_config." + name;
        }
        return name;
    }
}
