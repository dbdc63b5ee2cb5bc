package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ScoringException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Equivalent server replicas behind one JSON-over-HTTP call with retries.
 *
 * <ul>
 *   <li>Routing: each attempt goes to the endpoint with the fewest outstanding requests among those not marked down
 *       (ties rotate); a retry avoids the endpoint that just failed when another is up.</li>
 *   <li>Each attempt is bounded by the timeout (connect, headers and body together); nothing waits longer.</li>
 *   <li>Connection errors, timeouts, HTTP 429 and 5xx are retried with exponential backoff and jitter, or after the
 *       server's {@code Retry-After}; an endpoint that fails twice in a row is avoided for the down time.</li>
 *   <li>Other HTTP errors are the caller's problem (wrong model name, wrong key, a request the server refuses): one
 *       {@link InvalidInputException} naming the endpoint, the status and the server's message.</li>
 *   <li>A 2xx body that is not JSON is a server fault that a retry would not cure: one {@link ScoringException}.</li>
 * </ul>
 *
 * The API key goes into the {@code Authorization} header and nowhere else; server text is redacted before it enters a
 * message. Log records ({@link System.Logger}, level DEBUG) name endpoints, paths and statuses only.
 *
 * <p>Thread-safe.
 */
final class EndpointPool {
    private static final System.Logger LOG = System.getLogger(EndpointPool.class.getName());
    /** Longest {@code Retry-After} honoured; a server asking for more is reported instead. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int FAILURES_BEFORE_DOWN = 2;

    private final List<Endpoint> endpoints;
    private final HttpClient client;
    private final Secret key;
    private final Duration timeout;
    private final int retries;
    private final Duration backoff;
    private final Duration downTime;
    private final AtomicInteger rotation = new AtomicInteger();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();

    EndpointPool(List<URI> bases, Secret key, Duration timeout, int retries, Duration backoff, Duration downTime) {
        List<Endpoint> list = new ArrayList<>();
        for (URI b : bases) {
            list.add(new Endpoint(b));
        }
        this.endpoints = List.copyOf(list);
        this.key = key;
        this.timeout = timeout;
        this.retries = retries;
        this.backoff = backoff;
        this.downTime = downTime;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static EndpointPool of(ServerSettings s, Secret key) {
        return new EndpointPool(s.endpoints(), key, s.timeout(), s.retries(), s.backoff(), s.downTime());
    }

    /** One replica and its health. */
    static final class Endpoint {
        final URI base;
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        private int consecutiveFailures;
        private long downUntilNanos;
        private boolean down;

        Endpoint(URI base) {
            this.base = base;
        }

        synchronized boolean isUp(long now) {
            return !down || now - downUntilNanos >= 0;
        }

        synchronized long downUntil() {
            return downUntilNanos;
        }

        synchronized void succeeded() {
            consecutiveFailures = 0;
            down = false;
        }

        /** @return true when this failure marked the endpoint down */
        synchronized boolean failedOnce(Duration downTime) {
            failed.incrementAndGet();
            consecutiveFailures++;
            if (consecutiveFailures >= FAILURES_BEFORE_DOWN) {
                boolean wasUp = !down || System.nanoTime() - downUntilNanos >= 0;
                down = true;
                downUntilNanos = System.nanoTime() + downTime.toNanos();
                return wasUp;
            }
            return false;
        }

        /** Avoid this endpoint for a while without counting a failure (it asked us to slow down). */
        synchronized void backOff(Duration d) {
            down = true;
            downUntilNanos = Math.max(downUntilNanos, System.nanoTime() + d.toNanos());
        }

        @Override
        public String toString() {
            return base.toString();
        }
    }

    /** The endpoint URLs, in the order given. */
    List<URI> endpoints() {
        return endpoints.stream().map(e -> e.base).toList();
    }

    /** HTTP attempts made so far (retries included). */
    long attempts() {
        return attempts.get();
    }

    /** Attempts that were retries. */
    long retries() {
        return retried.get();
    }

    /** Attempts sent to each endpoint, in the order of {@link #endpoints()}. */
    List<Long> attemptsPerEndpoint() {
        return endpoints.stream().map(e -> e.sent.get()).toList();
    }

    /**
     * A parsed JSON answer and the endpoint that gave it.
     *
     * @param json     the body
     * @param endpoint the endpoint's base URL
     */
    record Reply(JsonNode json, URI endpoint) {
        /** {@code endpoint URL path}, for messages. */
        String where(String path) {
            return "endpoint " + endpoint + " (" + path + ")";
        }
    }

    /** {@code POST path} with a JSON body. */
    Reply post(String path, byte[] body) {
        return exchange("POST", path, body);
    }

    /** {@code GET path}. */
    Reply get(String path) {
        return exchange("GET", path, null);
    }

    private Reply exchange(String method, String path, byte[] body) {
        Endpoint previous = null;
        String lastError = null;
        int tries = retries + 1;
        for (int attempt = 0; attempt < tries; attempt++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new ScoringException("interrupted while waiting for " + method + " " + path);
            }
            Endpoint ep = choose(previous);
            previous = ep;
            attempts.incrementAndGet();
            if (attempt > 0) {
                retried.incrementAndGet();
            }
            ep.sent.incrementAndGet();
            Attempt a;
            ep.outstanding.incrementAndGet();
            try {
                a = send(ep, method, path, body);
            } finally {
                ep.outstanding.decrementAndGet();
            }
            if (a.json != null) {
                ep.succeeded();
                return new Reply(a.json, ep.base);
            }
            lastError = a.error;
            if (!a.retryable) {
                throw a.fatal;
            }
            Duration wait;
            if (a.retryAfter != null) {
                ep.backOff(a.retryAfter);
                wait = a.retryAfter;
            } else {
                if (ep.failedOnce(downTime)) {
                    LOG.log(System.Logger.Level.DEBUG, "endpoint {0} marked down for {1} ms after {2} failures in a row",
                            ep.base, downTime.toMillis(), FAILURES_BEFORE_DOWN);
                }
                wait = backoff(attempt);
            }
            if (attempt == 0 && anotherIsUp(ep)) {
                wait = Duration.ZERO; // reroute at once; later retries back off
            }
            if (attempt + 1 < tries) {
                LOG.log(System.Logger.Level.DEBUG, "{0} {1}{2}: {3}; retry {4} of {5} in {6} ms", method, ep.base, path, a.error,
                        attempt + 1, retries, wait.toMillis());
                sleep(wait, method, path);
            }
        }
        throw new ScoringException(method + " " + path + " failed " + tries + (tries == 1 ? " time" : " times") + " on "
                + (endpoints.size() == 1 ? "the endpoint " + endpoints.get(0).base : "endpoints " + endpoints()) + "; last error: "
                + lastError);
    }

    /** The up endpoint with the fewest outstanding requests, avoiding {@code avoid} when another is up. */
    private Endpoint choose(Endpoint avoid) {
        long now = System.nanoTime();
        int n = endpoints.size();
        int start = Math.floorMod(rotation.getAndIncrement(), n);
        Endpoint best = null;
        for (int pass = 0; pass < 2 && best == null; pass++) {
            for (int i = 0; i < n; i++) {
                Endpoint e = endpoints.get((start + i) % n);
                if (!e.isUp(now) || (pass == 0 && e == avoid && n > 1)) {
                    continue;
                }
                if (best == null || e.outstanding.get() < best.outstanding.get()) {
                    best = e;
                }
            }
        }
        if (best == null) {
            // every endpoint is down: try the one that comes back first rather than wait
            for (Endpoint e : endpoints) {
                if (best == null || e.downUntil() - best.downUntil() < 0) {
                    best = e;
                }
            }
        }
        return best;
    }

    private boolean anotherIsUp(Endpoint ep) {
        long now = System.nanoTime();
        for (Endpoint e : endpoints) {
            if (e != ep && e.isUp(now)) {
                return true;
            }
        }
        return false;
    }

    private Duration backoff(int attempt) {
        long base = backoff.toNanos();
        long d = Math.min(MAX_BACKOFF.toNanos(), base << Math.min(attempt, 20));
        if (d <= 0) {
            return Duration.ZERO;
        }
        long jittered = d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
        return Duration.ofNanos(jittered);
    }

    private static void sleep(Duration d, String method, String path) {
        try {
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScoringException("interrupted while waiting to retry " + method + " " + path, e);
        }
    }

    /** The outcome of one attempt: JSON, or an error that is retryable or fatal. */
    private record Attempt(JsonNode json, String error, boolean retryable, Duration retryAfter, RuntimeException fatal) {
        static Attempt ok(JsonNode json) {
            return new Attempt(json, null, false, null, null);
        }

        static Attempt retry(String error, Duration retryAfter) {
            return new Attempt(null, error, true, retryAfter, null);
        }

        static Attempt fatal(RuntimeException e) {
            return new Attempt(null, e.getMessage(), false, null, e);
        }
    }

    private Attempt send(Endpoint ep, String method, String path, byte[] body) {
        String where = "endpoint " + ep.base;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ep.base + path))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (key != null) {
            b.header("Authorization", key.bearer());
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> r;
        try {
            r = f.get(timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return Attempt.retry(where + ": no complete answer within " + seconds(timeout), null);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new ScoringException("interrupted while waiting for " + method + " " + path + " on " + ep.base, e);
        } catch (ExecutionException e) {
            return Attempt.retry(where + ": " + describe(e.getCause()), null);
        }
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            try {
                return Attempt.ok(Json.parse(r.body()));
            } catch (IOException e) {
                return Attempt.fatal(new ScoringException(where + " answered " + method + " " + path + " with HTTP " + status
                        + " but the body is not JSON (" + oneLine(e.getMessage(), 160) + "): " + snippet(r.body())));
            }
        }
        String message = serverMessage(r.body());
        if (status == 429 || status >= 500) {
            Optional<Duration> ra = retryAfter(r);
            if (ra.isPresent() && ra.get().compareTo(MAX_RETRY_AFTER) > 0) {
                return Attempt.fatal(new ScoringException(where + " answered HTTP " + status + " and asks to retry after "
                        + seconds(ra.get()) + ", longer than the " + seconds(MAX_RETRY_AFTER) + " eagle4j waits" + message));
            }
            return Attempt.retry(where + " answered HTTP " + status + message, ra.orElse(null));
        }
        String hint = switch (status) {
            case 401, 403 -> key == null ? " (no API key was sent: name the environment variable that holds it)"
                    : " (check the API key in $" + key.envName() + ")";
            case 404 -> " (check the URL and the served model name)";
            default -> isContextLengthError(message) ? " (the conversation with its image tokens is longer than the served model's"
                    + " context: shorten the prompt or the answer, or serve the model with a longer context)" : "";
        };
        return Attempt.fatal(new InvalidInputException(where + " rejected " + method + " " + path + " with HTTP " + status
                + message + hint));
    }

    private String describe(Throwable t) {
        if (t instanceof HttpConnectTimeoutException) {
            return "no connection within " + seconds(timeout);
        }
        if (t instanceof HttpTimeoutException) {
            return "no complete answer within " + seconds(timeout);
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        if (t instanceof IOException) {
            String m = t.getMessage();
            return "connection failed (" + (m == null ? t.getClass().getSimpleName() : oneLine(m, 160)) + ")";
        }
        return "request failed (" + t + ")";
    }

    /** {@code ": <the server's message>"} from a JSON error body (OpenAI, vLLM, FastAPI shapes) or plain text; redacted. */
    /** Whether a server's error message says the input exceeds the model's context (vLLM's and SGLang's wordings). */
    static boolean isContextLengthError(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("maximum context length") || m.contains("context length") || m.contains("max_model_len")
                || m.contains("maximum model length") || m.contains("exceeds the maximum allowed length");
    }

    private String serverMessage(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text;
        try {
            JsonNode j = Json.parse(body);
            JsonNode m = j.path("error").path("message");
            if (!m.isTextual()) {
                m = j.path("message");
            }
            if (!m.isTextual()) {
                m = j.path("detail");
            }
            if (!m.isTextual()) {
                m = j.path("error");
            }
            text = m.isTextual() ? m.asText() : j.toString();
        } catch (IOException e) {
            text = new String(body, StandardCharsets.UTF_8);
        }
        text = oneLine(Secret.redact(key, text), 300);
        return text.isBlank() ? "" : ": " + text;
    }

    private String snippet(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8);
        return "'" + oneLine(Secret.redact(key, s), 120) + "'";
    }

    static String oneLine(String s, int max) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > max ? t.substring(0, max) + "..." : t;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3g s", d.toNanos() / 1e9);
    }

    /** {@code Retry-After} as seconds or an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").flatMap(EndpointPool::parseRetryAfter);
    }

    static Optional<Duration> parseRetryAfter(String v) {
        String s = v.strip();
        try {
            double seconds = Double.parseDouble(s);
            if (seconds >= 0 && seconds < 1e7) {
                return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
            }
            return Optional.empty();
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime t = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(t.getZone()), t);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    @Override
    public String toString() {
        return "EndpointPool" + endpoints();
    }
}
