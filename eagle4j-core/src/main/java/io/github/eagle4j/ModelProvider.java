package io.github.eagle4j;

import java.util.Map;

/**
 * Opens models for the {@code --model} option; backends register one with {@link java.util.ServiceLoader}
 * so the CLI loads only the backends present on the class path.
 */
public interface ModelProvider {
    /** The API name of {@link #open}'s {@code model} in messages ({@link InvalidInputException#input()}). */
    String MODEL = "model";

    /** The backend names this provider serves, e.g. {@code onnx} or {@code vllm}. */
    java.util.Set<String> backends();

    /**
     * Whether this provider can open {@code model} (a directory, repository id or URL) when no backend was
     * named explicitly.
     */
    boolean accepts(String model);

    /**
     * Opens the model.
     *
     * @param model    directory, repository id or URL as the user gave it
     * @param settings backend settings from the command line (e.g. {@code threads}, {@code dtype}); unknown keys
     *                 are ignored
     * @throws InvalidInputException when the model cannot be used, with a message naming the file or field
     */
    VisionLanguageModel open(String model, Map<String, String> settings);
}
