package io.github.eagle4j.onnx.family;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.onnx.hub.ModelDirectory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The model families the ONNX backend knows, by {@code config.json} {@code model_type}. */
public final class ModelFamilies {
    /** Opens a family for one model directory, reading the config fields and processor files it needs. */
    @FunctionalInterface
    interface Opener {
        public ModelFamily open(ModelDirectory dir, ModelConfig cfg, JsonNode config);
    }

    private static final Map<String, Opener> BY_MODEL_TYPE = new LinkedHashMap<>();

    static {
        BY_MODEL_TYPE.put("llava", LlavaFamily::open);
        BY_MODEL_TYPE.put("idefics3", Idefics3Family::open);
        BY_MODEL_TYPE.put("smolvlm", Idefics3Family::open);
        BY_MODEL_TYPE.put("qwen2_vl", QwenVlFamily::open);
        BY_MODEL_TYPE.put("qwen2_5_vl", QwenVlFamily::open);
    }

    private ModelFamilies() {
    }

    /** The supported {@code model_type} values, sorted. */
    public static Set<String> supportedModelTypes() {
        return new TreeSet<>(BY_MODEL_TYPE.keySet());
    }

    static boolean supports(String modelType) {
        return BY_MODEL_TYPE.containsKey(modelType);
    }

    /**
     * The family of a model directory whose config has been read.
     *
     * @throws InvalidInputException when the model type is unknown or a family file does not fit
     */
    public static ModelFamily open(ModelDirectory dir, ModelConfig cfg) {
        Opener opener = BY_MODEL_TYPE.get(cfg.modelType());
        if (opener == null) {
            throw unsupported(cfg.modelType());
        }
        return opener.open(dir, cfg, dir.json(ModelDirectory.CONFIG));
    }

    static InvalidInputException unsupported(String modelType) {
        return new InvalidInputException(ModelDirectory.CONFIG + ": model_type '" + modelType
                + "' is not supported by the onnx backend (supported: " + String.join(", ", supportedModelTypes()) + ")");
    }
}
