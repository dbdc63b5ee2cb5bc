package io.github.eagle4j.openai;

import io.github.eagle4j.ModelProvider;
import io.github.eagle4j.VisionLanguageModel;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The server backends for {@code --model http(s)://host:port}: {@code vllm} (the default), {@code sglang} and
 * {@code openai}. Settings keys are those of {@link ServerSettings#fromMap}. Registered for
 * {@link java.util.ServiceLoader}.
 */
public final class ServerModelProvider implements ModelProvider {
    @Override
    public Set<String> backends() {
        return Set.of(ServerBackend.VLLM.cliName(), ServerBackend.SGLANG.cliName(), ServerBackend.OPENAI.cliName());
    }

    @Override
    public boolean accepts(String model) {
        String m = model.strip().toLowerCase(Locale.ROOT);
        return m.startsWith("http://") || m.startsWith("https://");
    }

    @Override
    public VisionLanguageModel open(String model, Map<String, String> settings) {
        return ServerModels.open(ServerSettings.fromMap(model, settings));
    }
}
