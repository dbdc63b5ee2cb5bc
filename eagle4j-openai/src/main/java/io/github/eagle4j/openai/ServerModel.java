package io.github.eagle4j.openai;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.VisionLanguageModel;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A vision-language model behind one or more inference-server endpoints. Open one with {@link ServerModels#open}; the
 * backends are {@link VllmModel}, {@link SglangModel} and {@link HostedApiModel}.
 *
 * <p>Thread-safe. Owns a pool of request threads (the concurrency bound) and an HTTP client; close it when done.
 */
public abstract sealed class ServerModel implements VisionLanguageModel permits VllmModel, SglangModel, HostedApiModel {
    final ServerSettings settings;
    final Secret key;
    final EndpointPool pool;
    final Workers workers;
    final String servedModel;
    private final Map<List<String>, AnswerLayout> layouts = new ConcurrentHashMap<>();
    /** The text-region pad checks made on this server, shared by every scorer of a prompt. */
    final PadByText.Cache padChecks = new PadByText.Cache();

    /** Whether this is a view of another model ({@link #withHistory}), which owns the threads and the client. */
    private final boolean view;

    ServerModel(ServerSettings settings, Secret key, EndpointPool pool, String servedModel) {
        this.settings = settings;
        this.key = key;
        this.pool = pool;
        this.servedModel = servedModel;
        this.workers = new Workers(settings.effectiveConcurrency(), "eagle4j-" + settings.backend().cliName());
        this.view = false;
    }

    /** A view of {@code owner} sharing its endpoints and request threads; closing the view closes nothing. */
    ServerModel(ServerModel owner) {
        this.settings = owner.settings;
        this.key = owner.key;
        this.pool = owner.pool;
        this.servedModel = owner.servedModel;
        this.workers = owner.workers;
        this.view = true;
    }

    /** The settings the model was opened with. */
    public ServerSettings settings() {
        return settings;
    }

    /** The served model's name as the server knows it. */
    public String servedModel() {
        return servedModel;
    }

    /** The endpoints, in the order given. */
    public List<URI> endpoints() {
        return pool.endpoints();
    }

    /** HTTP requests sent so far, retries included. */
    public long requestsSent() {
        return pool.attempts();
    }

    /** Requests that were retries of a failed one. */
    public long retriesSent() {
        return pool.retries();
    }

    /** Requests sent to each endpoint, in the order of {@link #endpoints()}. */
    public List<Long> requestsPerEndpoint() {
        return pool.attemptsPerEndpoint();
    }

    /** Requests in flight at most. */
    public int concurrency() {
        return workers.size();
    }

    @Override
    public List<AnswerToken> answerTokens(String prompt, String answer) {
        return layout(prompt, answer).tokens();
    }

    AnswerLayout layout(String prompt, String answer) {
        checkText(prompt, "prompt");
        checkText(answer, "answer");
        return layouts.computeIfAbsent(List.of(prompt, answer), k -> computeLayout(prompt, answer));
    }

    /** Tokenises the conversation on the server (or approximates it) to find the answer's tokens. */
    abstract AnswerLayout computeLayout(String prompt, String answer);

    /** Checks every message of a conversation's history as {@link #checkText} checks a prompt, naming the message. */
    static void checkHistory(java.util.List<io.github.eagle4j.text.PromptMessage> history) {
        for (int i = 0; i < history.size(); i++) {
            checkText(history.get(i).text(), "message " + i + " of the history");
        }
    }

    static void checkText(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("the " + what + " is empty");
        }
    }

    static void checkMaxNewTokens(int maxNewTokens) {
        if (maxNewTokens < 1) {
            throw new InvalidInputException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
    }

    static void checkImage(RgbImage image) {
        if (image == null) {
            throw new InvalidInputException("no image given");
        }
    }

    static void checkImages(List<RgbImage> images) {
        if (images == null || images.isEmpty()) {
            throw new InvalidInputException("no image given");
        }
        images.forEach(ServerModel::checkImage);
    }

    /** A scored canvas cut into its frames, each sent as its own image part. */
    static List<RgbImage> frames(FrameLayout frames, RgbImage canvas) {
        if (canvas.width() != frames.canvasWidth() || canvas.height() != frames.canvasHeight()) {
            throw new ScoringException("a canvas of " + canvas.width() + "x" + canvas.height() + " for frames "
                    + frames);
        }
        return frames.split(canvas);
    }

    /** The generation's tokens: the answer's, without the end-of-turn token when generation stopped at the length limit. */
    Generation generation(String prompt, String text, boolean stoppedAtEndOfTurn) {
        if (text == null || text.isBlank()) {
            return new Generation(text == null ? "" : text, List.of());
        }
        AnswerLayout l = layout(prompt, text);
        List<AnswerToken> tokens = stoppedAtEndOfTurn ? l.tokens() : l.tokens().subList(0, l.contentTokens());
        return new Generation(text, tokens);
    }

    String modelLabel() {
        return servedModel + " at " + pool.endpoints().stream().map(URI::toString).collect(Collectors.joining(", "));
    }

    @Override
    public ScorerDescription description() {
        return new ScorerDescription(settings.backend().cliName(), modelLabel(), "as served", false);
    }

    <T> List<T> parallel(List<java.util.concurrent.Callable<T>> tasks) {
        return workers.all(tasks);
    }

    static <T, R> List<java.util.concurrent.Callable<R>> tasks(List<T> items, Function<T, R> f) {
        return items.stream().<java.util.concurrent.Callable<R>>map(i -> () -> f.apply(i)).toList();
    }

    @Override
    public void close() {
        if (!view) {
            workers.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + modelLabel() + "]";
    }
}
