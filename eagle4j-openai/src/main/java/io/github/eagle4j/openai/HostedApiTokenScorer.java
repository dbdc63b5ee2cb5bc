package io.github.eagle4j.openai;

import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.text.PromptMessage;
import io.github.eagle4j.text.PromptToken;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextMaskBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Approximate target probabilities from a hosted API, token by token: one request per (image, target), all side by side
 * within the concurrency bound. Its {@link #description()} is flagged approximate and states the cost so far, so the
 * explanation's provenance records requests, tokens billed and zero-probability entries.
 *
 * <p>Thread-safe.
 */
public final class HostedApiTokenScorer implements TokenScorer {
    private final HostedApiModel model;
    private final ScoringTask task;
    private final List<String> prefixes = new ArrayList<>();
    private final AtomicReference<HostedApiCost> cost = new AtomicReference<>(HostedApiCost.NONE);
    /** The frames each scored canvas is cut into, or null when each image is the prompt's one image. */
    private final FrameLayout frames;
    private final DropByText dropByText;

    HostedApiTokenScorer(HostedApiModel model, ScoringTask task, FrameLayout frames) {
        this.model = model;
        this.task = task;
        this.frames = frames;
        this.dropByText = new DropByText(task.messages());
        List<String> tokens = task.answerTokens();
        for (Target t : task.targets()) {
            prefixes.add(String.join("", tokens.subList(0, t.index())));
        }
    }

    @Override
    public ScoringTask task() {
        return task;
    }

    /** Requests in flight at once. */
    @Override
    public int maxBatchSize() {
        return Math.max(1, model.concurrency() / task.targets().size());
    }

    /** Requests needed to score {@code images} images: one per image and target. */
    public long requestsFor(long images) {
        return images * task.targets().size();
    }

    /**
     * The cost of scoring {@code images} more images, to show before a run: one request per image and target, tokens
     * estimated from the average request the model has answered so far (0 before the first).
     */
    public HostedApiCost estimateFor(long images) {
        HostedApiCost seen = model.cost();
        long requests = requestsFor(images);
        double in = seen.requests() == 0 ? 0 : (double) seen.promptTokens() / seen.requests();
        return new HostedApiCost(requests, Math.round(in * requests), requests, 0);
    }

    /** What this scorer has spent so far. */
    public HostedApiCost cost() {
        return cost.get();
    }

    @Override
    public java.util.Optional<String> costEstimate(long images) {
        return java.util.Optional.of(estimateFor(images).summary());
    }

    @Override
    public java.util.Map<String, Object> statistics() {
        HostedApiCost c = cost();
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("requests", c.requests());
        m.put("promptTokens", c.promptTokens());
        m.put("completionTokens", c.completionTokens());
        m.put("tokensBilled", c.tokensBilled());
        m.put("zeroProbabilityEntries", c.zeroProbabilityEntries());
        return m;
    }

    @Override
    public java.util.Optional<String> costSpent() {
        return java.util.Optional.of(cost().summary());
    }

    @Override
    public ScorerDescription description() {
        ScorerDescription d = model.description();
        return new ScorerDescription(d.backend(), d.model(), model.precision(cost()), true);
    }

    @Override
    public java.util.Optional<FrameLayout> frames() {
        return java.util.Optional.ofNullable(frames);
    }

    @Override
    public double[][] score(List<RgbImage> images) {
        return scoreEach(images, java.util.Collections.nCopies(images.size(), task.messages()));
    }

    /** {@code drop} only, by text ({@link DropByText}); none for a prompt with several images. */
    @Override
    public java.util.Set<TextMask> textMasks() {
        return frames == null ? java.util.Set.of(TextMask.DROP) : java.util.Set.of();
    }

    @Override
    public String textMasking() {
        return DropByText.DESCRIPTION;
    }

    /** One stand-in token per word of the prompt (the API's tokens are not known). */
    @Override
    public List<PromptToken> promptTokens(int width, int height) {
        return dropByText.promptTokens();
    }

    /** One request per entry and target, the removed spans' words deleted from the prompt, side by side as {@link #score}. */
    @Override
    public double[][] scoreText(TextMaskBatch batch) {
        if (!textMasks().contains(batch.mask())) {
            throw new ScoringException("backend " + model.description().backend() + " cannot mask prompt text with "
                    + batch.mask().cliName() + (frames == null ? " (drop only: hosted APIs have no pad token)" : " for several images"));
        }
        List<RgbImage> images = new ArrayList<>(batch.size());
        List<List<PromptMessage>> conversations = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            images.add(batch.imageOf(i));
            conversations.add(dropByText.masked(batch.spans(), batch.keptSpans().get(i)));
        }
        return scoreEach(images, conversations);
    }

    /**
     * Image {@code i} with conversation {@code i} (its earlier messages, the question last): one request per image and
     * target, all side by side.
     */
    private double[][] scoreEach(List<RgbImage> images, List<List<PromptMessage>> conversations) {
        int n = images.size();
        int k = task.targets().size();
        // each image (or canvas, cut into its frames) is encoded once and sent in all of its targets' requests
        List<List<String>> urls = new ArrayList<>(n);
        for (RgbImage img : images) {
            urls.add(frames == null ? List.of(PngDataUrl.of(img)) : PngDataUrl.of(ServerModel.frames(frames, img)));
        }
        List<Callable<double[]>> tasks = new ArrayList<>(n * k);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < k; t++) {
                List<String> imageUrls = urls.get(i);
                List<PromptMessage> conversation = conversations.get(i);
                int target = t;
                tasks.add(() -> step(imageUrls, conversation, target));
            }
        }
        List<double[]> results = model.parallel(tasks);
        double[][] out = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < k; t++) {
                out[i][t] = results.get(i * k + t)[0];
            }
        }
        return out;
    }

    /** One request: {probability}. */
    private double[] step(List<String> imageUrls, List<PromptMessage> conversation, int target) {
        Target t = task.targets().get(target);
        int last = conversation.size() - 1;
        EndpointPool.Reply r = model.pool.post(HostedApiProtocol.CHAT, Json.bytes(HostedApiProtocol.stepRequest(model.servedModel(),
                conversation.subList(0, last), imageUrls, conversation.get(last).text(), prefixes.get(target), model.settings().topLogprobs())));
        double p = HostedApiProtocol.stepProbability(r.json(), t.token(), r.where(HostedApiProtocol.CHAT));
        HostedApiCost c = new HostedApiCost(1, HostedApiProtocol.usage(r.json(), "prompt_tokens"),
                HostedApiProtocol.usage(r.json(), "completion_tokens"), p < 0 ? 1 : 0);
        cost.accumulateAndGet(c, HostedApiCost::plus);
        model.spend(c);
        return new double[] {Math.max(0, p)};
    }

    @Override
    public String toString() {
        return "HostedApiTokenScorer[" + task.targets().size() + " targets, " + model.servedModel() + "]";
    }
}
