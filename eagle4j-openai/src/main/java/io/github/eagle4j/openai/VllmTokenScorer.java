package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.text.PromptMessage;
import io.github.eagle4j.text.PromptToken;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextMaskBatch;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Teacher-forced target probabilities from a vLLM server: one chat-completions request per image (the server batches
 * concurrent requests), at most {@link ServerModel#concurrency()} in flight, rows in input order.
 *
 * <p>The answer is sent as the final assistant message with {@code continue_final_message: true}; when a target is the
 * end-of-turn token the turn is closed instead ({@code continue_final_message: false, add_generation_prompt: false}) so
 * that token is in the prompt too. The first call scores its first image twice, one request after the other, and
 * fails if the two differ by more than {@value #CACHE_TOLERANCE} (vLLM's prefix cache returning stale
 * {@code prompt_logprobs}).
 *
 * <p>Thread-safe.
 */
public final class VllmTokenScorer implements TokenScorer {
    /** Largest difference of probabilities allowed between two identical requests. */
    static final double CACHE_TOLERANCE = 1e-3;

    private final VllmModel model;
    private final ScoringTask task;
    private final boolean closedTurn;
    private final long[] tail;
    private final int[] offsets;
    private final long[] ids;
    private final AtomicBoolean checked = new AtomicBoolean();
    private final PadByText.Once pad;
    /** The frames each scored canvas is cut into, or null when each image is the prompt's one image. */
    private final FrameLayout frames;
    /** The video the frames are, sent as one video part; null for images. */
    private final VideoClip video;

    VllmTokenScorer(VllmModel model, ScoringTask task, AnswerLayout layout, FrameLayout frames) {
        this(model, task, layout, frames, null);
    }

    /** A scorer whose canvases are the frames of {@code video}, sent as one video (docs/backends.md, "Video through vLLM"). */
    VllmTokenScorer(VllmModel model, ScoringTask task, AnswerLayout layout, VideoClip video) {
        this(model, task, layout, video.frames(), video);
    }

    private VllmTokenScorer(VllmModel model, ScoringTask task, AnswerLayout layout, FrameLayout frames, VideoClip video) {
        this.model = model;
        this.video = video;
        this.task = task;
        this.pad = new PadByText.Once(task, model::textPadToken, model::conversationIds, "vLLM at " + model.where(), model.padChecks);
        this.frames = frames;
        this.closedTurn = layout.needsClosedTurn(task.targets());
        this.tail = layout.tail(closedTurn);
        List<Target> targets = task.targets();
        this.offsets = new int[targets.size()];
        this.ids = new long[targets.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = targets.get(i).index();
            ids[i] = targets.get(i).id();
        }
    }

    @Override
    public ScoringTask task() {
        return task;
    }

    /** Requests in flight at once: a good batch size for searches that can choose one. */
    @Override
    public int maxBatchSize() {
        return model.concurrency();
    }

    @Override
    public ScorerDescription description() {
        return model.description();
    }

    /** Whether requests close the assistant turn (a target is the end-of-turn token). */
    public boolean closedTurn() {
        return closedTurn;
    }

    @Override
    public double[][] score(List<RgbImage> images) {
        int n = images.size();
        double[][] out = new double[n][];
        if (n == 0) {
            return out;
        }
        int from = 0;
        if (checked.compareAndSet(false, true)) {
            double[] first = scoreOne(images.get(0));
            double[] again = scoreOne(images.get(0));
            double diff = 0;
            for (int t = 0; t < first.length; t++) {
                diff = Math.max(diff, Math.abs(first[t] - again[t]));
            }
            if (diff > CACHE_TOLERANCE) {
                throw new ScoringException(String.format(Locale.ROOT, "the server gave different probabilities for the same image"
                        + " twice in a row (largest difference %.4g): its prefix cache corrupts prompt_logprobs; restart vLLM with"
                        + " --no-enable-prefix-caching", diff));
            }
            out[0] = first;
            from = 1;
        }
        List<RgbImage> rest = images.subList(from, n);
        List<double[]> rows = model.parallel(ServerModel.tasks(new ArrayList<>(rest), this::scoreOne));
        for (int i = 0; i < rows.size(); i++) {
            out[from + i] = rows.get(i);
        }
        return out;
    }

    /**
     * {@code pad} only, by text (docs/text.md, "Servers"): vLLM's chat API takes messages, not token ids or masks; none
     * for a prompt with several images.
     */
    @Override
    public Set<TextMask> textMasks() {
        return frames == null ? Set.of(TextMask.PAD) : Set.of();
    }

    @Override
    public String textMasking() {
        return PadByText.DESCRIPTION;
    }

    /**
     * The prompt's word tokens as vLLM's {@code /tokenize} finds them (positions in the text-only conversation, so
     * they are informative only; spans are found again by their characters). Checks that every word can be masked by
     * text exactly.
     */
    @Override
    public List<PromptToken> promptTokens(int width, int height) {
        return pad.get().promptTokens();
    }


    /** One request per entry, the removed spans' words sent as pad texts, in parallel as {@link #score}. */
    @Override
    public double[][] scoreText(TextMaskBatch batch) {
        PadByText.requirePad(batch, "vllm");
        PadByText p = pad.get();
        List<Integer> entries = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            entries.add(i);
        }
        List<BitSet> kept = batch.keptSpans();
        List<double[]> rows = model.parallel(ServerModel.tasks(entries, i -> {
            List<String> texts = p.masked(batch.spans(), kept.get(i));
            return scoreOne(batch.imageOf(i), model.historyWith(texts), texts.get(texts.size() - 1));
        }));
        return rows.toArray(new double[0][]);
    }

    private double[] scoreOne(RgbImage image) {
        return scoreOne(image, model.history(), task.prompt());
    }

    @Override
    public Optional<FrameLayout> frames() {
        return Optional.ofNullable(frames);
    }

    /** One image with the conversation's earlier messages and the prompt as given (text regions mask their words). */
    private double[] scoreOne(RgbImage image, List<PromptMessage> history, String prompt) {
        if (video != null) {
            ObjectNode user = VllmProtocol.videoMessage(PngDataUrl.base64(ServerModel.frames(frames, image)), prompt);
            byte[] body = Json.bytes(VllmProtocol.withVideo(VllmProtocol.scoreRequest(model.servedModel(), history, user,
                    task.answer(), closedTurn),
                    video));
            EndpointPool.Reply r = model.pool.post(VllmModel.CHAT, body);
            return VllmProtocol.targetProbabilities(r.json(), tail, offsets, ids, r.where(VllmModel.CHAT));
        }
        List<String> urls = frames == null ? List.of(PngDataUrl.of(image)) : PngDataUrl.of(ServerModel.frames(frames, image));
        byte[] body = Json.bytes(VllmProtocol.scoreRequest(model.servedModel(), history, VllmProtocol.userMessage(urls, prompt),
                task.answer(), closedTurn));
        EndpointPool.Reply r = model.pool.post(VllmModel.CHAT, body);
        return VllmProtocol.targetProbabilities(r.json(), tail, offsets, ids, r.where(VllmModel.CHAT));
    }

    @Override
    public String toString() {
        return "VllmTokenScorer[" + task.targets().size() + " targets, " + model.servedModel() + "]";
    }
}
