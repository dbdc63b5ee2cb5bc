package io.github.eagle4j.openai;

import java.util.function.UnaryOperator;

/**
 * Opens models behind inference servers.
 *
 * <pre>{@code
 * ServerSettings s = ServerSettings.of(ServerBackend.VLLM, "http://gpu1:8000")
 *         .withEndpoints(List.of("http://gpu1:8000", "http://gpu2:8000"));
 * try (ServerModel model = ServerModels.open(s)) {
 *     String answer = model.generate(image, "Describe the image.", 64).text();
 *     TokenScorer scorer = model.scorer("Describe the image.", answer,
 *             TargetSelection.all(model.answerTokens("Describe the image.", answer)));
 *     Explanation e = new Explainer(ExplainOptions.defaults()).explain(image, scorer);
 * }
 * }</pre>
 */
public final class ServerModels {
    private ServerModels() {
    }

    /** Opens a model, reading the API key (if {@link ServerSettings#apiKeyEnv()} names one) from the process environment. */
    public static ServerModel open(ServerSettings settings) {
        return open(settings, System::getenv);
    }

    /**
     * Opens a model, reading the API key from {@code environment} (a lookup of environment variables by name).
     *
     * @throws io.github.eagle4j.InvalidInputException when the key's variable is unset, the server rejects the setup or the
     *                                                 served model is unknown
     * @throws io.github.eagle4j.ScoringException      when no endpoint answers
     */
    public static ServerModel open(ServerSettings settings, UnaryOperator<String> environment) {
        Secret key = Secret.fromEnvironment(settings.apiKeyEnv(), environment);
        return switch (settings.backend()) {
            case VLLM -> VllmModel.open(settings, key);
            case SGLANG -> SglangModel.open(settings, key);
            case OPENAI -> HostedApiModel.open(settings, key);
        };
    }
}
