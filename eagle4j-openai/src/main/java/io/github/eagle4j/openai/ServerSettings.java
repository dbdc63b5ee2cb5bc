package io.github.eagle4j.openai;

import io.github.eagle4j.InvalidInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a server backend is reached: the settings map of {@link io.github.eagle4j.ModelProvider#open} (keys below, filled
 * from the CLI's options) and the Java API share this one record; defaults live in {@link #of(ServerBackend, String)}.
 *
 * <p>The record holds the <em>name</em> of the environment variable with the API key, never the key: the key is read
 * when a model is opened and is sent only as the {@code Authorization} header.
 *
 * @param backend     the protocol spoken
 * @param endpoints   base URLs ({@code http(s)://host:port[/prefix]}) of equivalent replicas; requests go to the one with
 *                    the fewest outstanding requests
 * @param servedModel the model name the server serves; {@code null} = ask the server ({@code /v1/models},
 *                    {@code /get_model_info}); required for {@link ServerBackend#OPENAI}
 * @param apiKeyEnv   name of the environment variable holding the API key, or {@code null} for none
 * @param concurrency requests in flight at once over all endpoints; 0 = automatic (vLLM 16, SGLang 4, hosted API 8, per
 *                    endpoint for the servers)
 * @param timeout     limit for one request attempt, connection included
 * @param retries     further attempts after a connection error, a timeout, HTTP 429 or 5xx
 * @param batchSize   SGLang: images per {@code /generate} call (0 = 8); ignored by the other backends (one image per
 *                    request)
 * @param chatFormat  SGLang: the conversation format, a preset name or a format string (see {@link ChatFormat});
 *                    {@code null} = guessed from the served model's name
 * @param topLogprobs hosted API: {@code top_logprobs} asked for (1..20, default 20)
 * @param backoff     first retry delay; later ones double (with jitter) up to 30 s; a {@code Retry-After} header wins
 * @param downTime    how long an endpoint that failed twice in a row is avoided
 * @param padToken    SGLang: the text of the model's pad token (else its unknown token) for text regions, which SGLang
 *                    cannot tell (docs/text.md, "Servers"); {@code null} when not given
 */
public record ServerSettings(ServerBackend backend, List<URI> endpoints, String servedModel, String apiKeyEnv,
                             int concurrency, Duration timeout, int retries, int batchSize, String chatFormat,
                             int topLogprobs, Duration backoff, Duration downTime, String padToken) {
    /** Settings key: {@code vllm}, {@code sglang} or {@code openai}. */
    public static final String BACKEND = "backend";
    /** Settings key: the served model name. */
    public static final String SERVED_MODEL = "servedModel";
    /** Settings key: the environment variable with the API key. */
    public static final String API_KEY_ENV = "apiKeyEnv";
    /** Settings key: further endpoint URLs, comma-separated. */
    public static final String ENDPOINTS = "endpoints";
    /** Settings key: requests in flight. */
    public static final String CONCURRENCY = "concurrency";
    /** Settings key: per-request timeout in seconds (decimals allowed). */
    public static final String TIMEOUT_SECONDS = "timeoutSeconds";
    /** Settings key: retries per request. */
    public static final String RETRIES = "retries";
    /** Settings key: SGLang images per call (the CLI's {@code --batch-size}). */
    public static final String BATCH_SIZE = "batchSize";
    /** Settings key: SGLang chat format. */
    public static final String CHAT_FORMAT = "chatFormat";
    /** Settings key: SGLang, the pad token's text for text regions. */
    public static final String PAD_TOKEN = "padToken";
    /** Settings key: hosted API {@code top_logprobs}. */
    public static final String TOP_LOGPROBS = "topLogprobs";

    /** Default per-request timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    /** Default retries. */
    public static final int DEFAULT_RETRIES = 4;

    public ServerSettings {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(downTime, "downTime");
        if (endpoints == null || endpoints.isEmpty()) {
            throw new InvalidInputException("at least one server URL is needed");
        }
        List<URI> checked = new ArrayList<>();
        for (URI u : endpoints) {
            URI n = normalize(u.toString());
            if (!checked.contains(n)) {
                checked.add(n);
            }
        }
        endpoints = List.copyOf(checked);
        servedModel = blankToNull(servedModel);
        apiKeyEnv = blankToNull(apiKeyEnv);
        chatFormat = chatFormat == null || chatFormat.isEmpty() ? null : chatFormat;
        padToken = padToken == null || padToken.isEmpty() ? null : padToken;
        if (apiKeyEnv != null && !apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            // the value is not echoed: it may be the key itself, given by mistake
            throw InvalidInputException.forInput(API_KEY_ENV, " takes the NAME of an environment variable (letters, digits,"
                    + " _), not the key; put the key in that variable");
        }
        if (concurrency < 0) {
            throw InvalidInputException.forInput(CONCURRENCY, " must be at least 1 (or 0 for automatic), got " + concurrency);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw InvalidInputException.forInput(TIMEOUT_SECONDS, " must be positive, got " + timeout.toMillis() / 1000.0 + " s");
        }
        if (retries < 0 || retries > 50) {
            throw InvalidInputException.forInput(RETRIES, " must be between 0 and 50, got " + retries);
        }
        if (batchSize < 0) {
            throw InvalidInputException.forInput(BATCH_SIZE, " must be at least 1 (or 0 for automatic), got " + batchSize);
        }
        if (topLogprobs < 1 || topLogprobs > 20) {
            throw InvalidInputException.forInput(TOP_LOGPROBS, " must be between 1 and 20, got " + topLogprobs);
        }
        if (backoff.isNegative() || downTime.isNegative()) {
            throw new InvalidInputException("backoff and down time must not be negative");
        }
    }

    /** Defaults for one URL: automatic concurrency, 120 s timeout, 4 retries, 0.5 s first backoff, 15 s down time. */
    public static ServerSettings of(ServerBackend backend, String url) {
        return new ServerSettings(backend, List.of(normalize(url)), null, null, 0, DEFAULT_TIMEOUT, DEFAULT_RETRIES, 0, null,
                20, Duration.ofMillis(500), Duration.ofSeconds(15), null);
    }

    /**
     * Reads the keys of this class from a settings map; other keys are ignored. The backend defaults to vLLM.
     *
     * @param url      the {@code --model} URL (the first endpoint)
     * @param settings keys {@value #BACKEND}, {@value #SERVED_MODEL}, {@value #API_KEY_ENV}, {@value #ENDPOINTS},
     *                 {@value #CONCURRENCY}, {@value #TIMEOUT_SECONDS}, {@value #RETRIES}, {@value #BATCH_SIZE},
     *                 {@value #CHAT_FORMAT}, {@value #TOP_LOGPROBS}, {@value #PAD_TOKEN}
     * @throws InvalidInputException naming the key ({@link InvalidInputException#input()}) when a value is not usable
     */
    public static ServerSettings fromMap(String url, Map<String, String> settings) {
        String b = settings.get(BACKEND);
        ServerSettings d = of(b == null || b.isBlank() ? ServerBackend.VLLM : ServerBackend.of(b), url);
        LinkedHashSet<URI> endpoints = new LinkedHashSet<>(d.endpoints);
        String extra = settings.get(ENDPOINTS);
        if (extra != null) {
            for (String e : extra.split(",")) {
                if (!e.isBlank()) {
                    endpoints.add(normalize(e.strip()));
                }
            }
        }
        Duration timeout = d.timeout;
        String t = settings.get(TIMEOUT_SECONDS);
        if (t != null && !t.isBlank()) {
            double seconds;
            try {
                seconds = Double.parseDouble(t.strip());
            } catch (NumberFormatException e) {
                throw InvalidInputException.forInput(TIMEOUT_SECONDS, " must be a number of seconds, got '" + t + "'");
            }
            if (!(seconds > 0) || seconds > 86_400) {
                throw InvalidInputException.forInput(TIMEOUT_SECONDS, " must be between 0 and 86400 seconds, got " + t);
            }
            timeout = Duration.ofNanos(Math.round(seconds * 1e9));
        }
        return new ServerSettings(d.backend, new ArrayList<>(endpoints), settings.get(SERVED_MODEL), settings.get(API_KEY_ENV),
                intValue(settings, CONCURRENCY, d.concurrency), timeout,
                intValue(settings, RETRIES, d.retries), intValue(settings, BATCH_SIZE, d.batchSize),
                settings.get(CHAT_FORMAT), intValue(settings, TOP_LOGPROBS, d.topLogprobs), d.backoff, d.downTime,
                settings.get(PAD_TOKEN));
    }

    /** A copy with other endpoints (the first stays the model's URL in descriptions). */
    public ServerSettings withEndpoints(List<String> urls) {
        return new ServerSettings(backend, urls.stream().map(ServerSettings::normalize).toList(), servedModel, apiKeyEnv,
                concurrency, timeout, retries, batchSize, chatFormat, topLogprobs, backoff, downTime, padToken);
    }

    /** A copy with another served model name. */
    public ServerSettings withServedModel(String name) {
        return new ServerSettings(backend, endpoints, name, apiKeyEnv, concurrency, timeout, retries, batchSize, chatFormat,
                topLogprobs, backoff, downTime, padToken);
    }

    /** A copy with another API key variable name. */
    public ServerSettings withApiKeyEnv(String name) {
        return new ServerSettings(backend, endpoints, servedModel, name, concurrency, timeout, retries, batchSize, chatFormat,
                topLogprobs, backoff, downTime, padToken);
    }

    /** A copy with another concurrency (0 = automatic). */
    public ServerSettings withConcurrency(int value) {
        return new ServerSettings(backend, endpoints, servedModel, apiKeyEnv, value, timeout, retries, batchSize, chatFormat,
                topLogprobs, backoff, downTime, padToken);
    }

    /** A copy with another timeout, retry count, first backoff and down time. */
    public ServerSettings withRetryPolicy(Duration timeout, int retries, Duration backoff, Duration downTime) {
        return new ServerSettings(backend, endpoints, servedModel, apiKeyEnv, concurrency, timeout, retries, batchSize, chatFormat,
                topLogprobs, backoff, downTime, padToken);
    }

    /** A copy with another SGLang batch size (0 = automatic). */
    public ServerSettings withBatchSize(int value) {
        return new ServerSettings(backend, endpoints, servedModel, apiKeyEnv, concurrency, timeout, retries, value, chatFormat,
                topLogprobs, backoff, downTime, padToken);
    }

    /** A copy with another SGLang chat format. */
    public ServerSettings withChatFormat(String value) {
        return new ServerSettings(backend, endpoints, servedModel, apiKeyEnv, concurrency, timeout, retries, batchSize, value,
                topLogprobs, backoff, downTime, padToken);
    }

    /** A copy with another SGLang pad token text. */
    public ServerSettings withPadToken(String value) {
        return new ServerSettings(backend, endpoints, servedModel, apiKeyEnv, concurrency, timeout, retries, batchSize, chatFormat,
                topLogprobs, backoff, downTime, value);
    }

    /** Requests in flight: the setting, or the backend's automatic value. */
    public int effectiveConcurrency() {
        if (concurrency > 0) {
            return concurrency;
        }
        return switch (backend) {
            case VLLM -> 16 * endpoints.size();
            case SGLANG -> 4 * endpoints.size();
            case OPENAI -> 8;
        };
    }

    /** SGLang images per call: the setting or 8. */
    public int effectiveBatchSize() {
        return batchSize > 0 ? batchSize : 8;
    }

    /**
     * A server URL as used: {@code http} or {@code https}, a host, no user info (credentials belong in the environment
     * variable of {@code --api-key-env}), a port from 1 to 65535 when one is given, no query; a trailing {@code /} and a trailing {@code /v1} are dropped because the
     * API paths carry them.
     *
     * @throws InvalidInputException naming the URL
     */
    public static URI normalize(String url) {
        String s = url.strip();
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("server URL '" + s + "' is not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidInputException("server URL '" + s + "' must start with http:// or https://");
        }
        if (u.getRawUserInfo() != null) {
            throw new InvalidInputException("server URL must not carry credentials; put the API key in an environment variable"
                    + " and give the variable's name instead");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new InvalidInputException("server URL '" + s + "' has no host");
        }
        if (u.getPort() != -1 && (u.getPort() < 1 || u.getPort() > 65535)) {
            throw new InvalidInputException("server URL '" + s + "' has port " + u.getPort() + "; a port is 1 to 65535");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new InvalidInputException("server URL '" + s + "' must not have a query or fragment");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith("/v1")) {
            path = path.substring(0, path.length() - 3);
        }
        return URI.create(scheme + "://" + u.getRawAuthority() + path);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static int intValue(Map<String, String> settings, String key, int fallback) {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw InvalidInputException.forInput(key, " must be a whole number, got '" + v + "'");
        }
    }
}
