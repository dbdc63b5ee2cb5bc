package io.github.eagle4j.openai;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ModelProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings from the CLI's map, URLs, chat formats and the provider's registration. */
class ServerSettingsTest {
    @Test
    void readsEveryKeyOfTheSettingsMap() {
        ServerSettings s = ServerSettings.fromMap("http://gpu1:8000/", Map.of("backend", "sglang", "servedModel", "Qwen/Qwen2.5-VL-7B-Instruct",
                "apiKeyEnv", "MY_KEY", "endpoints", "http://gpu2:8000, http://gpu1:8000,https://gpu3/v1", "concurrency", "12",
                "timeoutSeconds", "2.5", "retries", "7", "batchSize", "16", "chatFormat", "qwen2.5-vl", "threads", "4"));
        assertThat(s.backend()).isEqualTo(ServerBackend.SGLANG);
        assertThat(s.endpoints()).containsExactly(URI.create("http://gpu1:8000"), URI.create("http://gpu2:8000"),
                URI.create("https://gpu3"));
        assertThat(s.servedModel()).isEqualTo("Qwen/Qwen2.5-VL-7B-Instruct");
        assertThat(s.apiKeyEnv()).isEqualTo("MY_KEY");
        assertThat(s.effectiveConcurrency()).isEqualTo(12);
        assertThat(s.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.retries()).isEqualTo(7);
        assertThat(s.effectiveBatchSize()).isEqualTo(16);
        assertThat(s.chatFormat()).isEqualTo("qwen2.5-vl");
    }

    @Test
    void defaultsToVllmWithConcurrencySizedToTheEndpoints() {
        ServerSettings s = ServerSettings.fromMap("http://a:8000", Map.of("endpoints", "http://b:8000"));
        assertThat(s.backend()).isEqualTo(ServerBackend.VLLM);
        assertThat(s.effectiveConcurrency()).isEqualTo(32);
        assertThat(s.timeout()).isEqualTo(ServerSettings.DEFAULT_TIMEOUT);
        assertThat(s.retries()).isEqualTo(ServerSettings.DEFAULT_RETRIES);
        assertThat(ServerSettings.of(ServerBackend.OPENAI, "https://api.example.com/v1").effectiveConcurrency()).isEqualTo(8);
    }

    @Test
    void badValuesNameTheirSettingsKey() {
        // the library names its own inputs (the settings keys); the CLI shows them as its options (describedAs)
        assertThatThrownBy(() -> ServerSettings.fromMap("http://a", Map.of("backend", "ollama")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("vllm, sglang, openai")
                .extracting(e -> ((InvalidInputException) e).input()).isEqualTo(ServerSettings.BACKEND);
        assertThatThrownBy(() -> ServerSettings.fromMap("http://a", Map.of("timeoutSeconds", "-1")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("timeoutSeconds must be between")
                .extracting(e -> ((InvalidInputException) e).describedAs("--timeout"))
                .isEqualTo("--timeout must be between 0 and 86400 seconds, got -1");
        assertThatThrownBy(() -> ServerSettings.fromMap("http://a", Map.of("retries", "x")))
                .isInstanceOf(InvalidInputException.class).hasMessage("retries must be a whole number, got 'x'");
        assertThatThrownBy(() -> ServerSettings.fromMap("http://a", Map.of("concurrency", "-2")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("concurrency must be at least 1")
                .extracting(e -> ((InvalidInputException) e).input()).isEqualTo(ServerSettings.CONCURRENCY);
        assertThatThrownBy(() -> ChatFormat.of("USER: {answer}")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("chatFormat 'USER: {answer}' is neither a preset")
                .extracting(e -> ((InvalidInputException) e).input()).isEqualTo(ServerSettings.CHAT_FORMAT);
        assertThatThrownBy(() -> Secret.fromEnvironment("EAGLE_NO_SUCH_KEY", n -> null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("apiKeyEnv EAGLE_NO_SUCH_KEY: the environment variable EAGLE_NO_SUCH_KEY is not set");
        assertThatThrownBy(() -> ServerSettings.fromMap("ftp://a", Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> ServerSettings.fromMap("http://a", Map.of("endpoints", "http://a?x=1")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("query");
    }

    @Test
    void credentialsNeverTravelInUrlsOrOptionValues() {
        assertThatThrownBy(() -> ServerSettings.fromMap("http://user:sk-secret@gpu1:8000", Map.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("environment variable").hasMessageNotContaining("sk-secret");
        assertThatThrownBy(() -> ServerSettings.fromMap("http://a", Map.of("apiKeyEnv", "sk-proj-abcdef")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NAME").hasMessageNotContaining("sk-");
    }

    @Test
    void chatFormatsFromPresetsAndStrings() {
        ChatFormat f = ChatFormat.of(TinyModel.CHAT_FORMAT);
        assertThat(f.generationPrompt("Q?")).isEqualTo("<s>USER: <image>\nQ? ASSISTANT:");
        assertThat(f.open("Q?", "A.")).isEqualTo("<s>USER: <image>\nQ? ASSISTANT: A.");
        assertThat(f.closed("Q?", "A.")).isEqualTo("<s>USER: <image>\nQ? ASSISTANT: A. </s>");
        ChatFormat q = ChatFormat.of("qwen2.5-vl");
        assertThat(q.generationPrompt("Q?")).endsWith("Q?<|im_end|>\n<|im_start|>assistant\n");
        assertThat(q.closed("Q?", "A.")).endsWith("assistant\nA.<|im_end|>\n");
        assertThat(ChatFormat.guess("Qwen/Qwen2.5-VL-7B-Instruct")).contains(q);
        assertThat(ChatFormat.guess("llava-hf/llava-1.5-7b-hf").map(ChatFormat::name)).contains("llava-1.5");
        assertThat(ChatFormat.guess("OpenGVLab/InternVL3_5-4B")).isEmpty();
        assertThatThrownBy(() -> ChatFormat.of("{answer} then {prompt}")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ChatFormat.of("chatml")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("llava-1.5, qwen2.5-vl");
    }

    @Test
    void theProviderIsRegisteredForHttpUrls() {
        ServerModelProvider p = null;
        for (ModelProvider m : ServiceLoader.load(ModelProvider.class)) {
            if (m instanceof ServerModelProvider s) {
                p = s;
            }
        }
        assertThat(p).isNotNull();
        assertThat(p.backends()).containsExactlyInAnyOrder("vllm", "sglang", "openai");
        assertThat(p.accepts("http://gpu1:8000")).isTrue();
        assertThat(p.accepts("HTTPS://api.example.com")).isTrue();
        assertThat(p.accepts("models/tiny-shapes-llava")).isFalse();
    }

    @Test
    void aPortOutsideOneTo65535IsRefusedAtOnce() {
        for (String url : List.of("http://127.0.0.1:99999", "http://localhost:0", "https://example.org:65536/v1")) {
            assertThatThrownBy(() -> ServerSettings.normalize(url)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("port").hasMessageContaining("1 to 65535");
        }
        assertThat(ServerSettings.normalize("http://127.0.0.1:65535/v1").getPort()).isEqualTo(65535);
        // refused before any request (it used to be retried 5 times, then Java's exception text)
        assertThatThrownBy(() -> ServerModels.open(ServerSettings.of(ServerBackend.VLLM, "http://127.0.0.1:99999"), n -> null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("port 99999");
    }
}
