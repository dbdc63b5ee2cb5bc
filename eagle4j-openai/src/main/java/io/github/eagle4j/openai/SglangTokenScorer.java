package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.text.PromptToken;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextMaskBatch;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * Teacher-forced target probabilities from SGLang's {@code /generate}: the images of a call go in chunks of
 * {@link ServerSettings#effectiveBatchSize()} per request, chunks side by side, rows in input order. The first request
 * asks for the log-probabilities of the whole prompt ({@code logprob_start_len: 0}) to learn its length; later ones
 * start one token before the answer.
 *
 * <p>Thread-safe.
 */
public final class SglangTokenScorer implements TokenScorer {
    private final SglangModel model;
    private final ScoringTask task;
    private final boolean closed;
    private final String text;
    private final long[] tail;
    private final int[] offsets;
    private volatile int logprobStart = -1;
    private final PadByText.Once pad;
    /** The frames each scored canvas is cut into, or null when each image is the prompt's one image. */
    private final FrameLayout frames;

    /**
     * @param closed whether the turn is closed (a target is the end-of-turn token), for the masked texts of
     *               {@link #scoreText}
     * @param text   the conversation text sent with every image
     */
    SglangTokenScorer(SglangModel model, ScoringTask task, boolean closed, String text, long[] tail, FrameLayout frames) {
        this.model = model;
        this.frames = frames;
        this.task = task;
        this.pad = new PadByText.Once(task, model::textPadToken, model::conversationIds, "SGLang at " + model.where(), model.padChecks);
        this.closed = closed;
        this.text = text;
        this.tail = tail;
        this.offsets = task.targets().stream().mapToInt(t -> t.index()).toArray();
    }

    @Override
    public ScoringTask task() {
        return task;
    }

    /** Images in flight at once. */
    @Override
    public int maxBatchSize() {
        return model.concurrency() * model.settings().effectiveBatchSize();
    }

    @Override
    public ScorerDescription description() {
        return model.description();
    }

    /** The answer's ids at the end of the prompt, as SGLang reports them. */
    long[] tail() {
        return tail.clone();
    }

    @Override
    public Optional<FrameLayout> frames() {
        return Optional.ofNullable(frames);
    }

    /** The conversation text sent with every image. */
    public String text() {
        return text;
    }

    @Override
    public double[][] score(List<RgbImage> images) {
        int n = images.size();
        double[][] out = new double[n][];
        if (n == 0) {
            return out;
        }
        int batch = model.settings().effectiveBatchSize();
        int from = 0;
        if (logprobStart < 0) {
            int first = Math.min(n, batch);
            copy(scoreChunk(images.subList(0, first)), out, 0);
            from = first;
        }
        List<List<RgbImage>> chunks = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (int i = from; i < n; i += batch) {
            chunks.add(images.subList(i, Math.min(n, i + batch)));
            starts.add(i);
        }
        List<double[][]> rows = model.parallel(ServerModel.tasks(chunks, this::scoreChunk));
        for (int c = 0; c < rows.size(); c++) {
            copy(rows.get(c), out, starts.get(c));
        }
        return out;
    }

    private static void copy(double[][] rows, double[][] out, int at) {
        System.arraycopy(rows, 0, out, at, rows.length);
    }

    /**
     * {@code pad} only, by text (docs/text.md, "Servers"): {@code /generate} takes the conversation as text; none for a
     * prompt with several images.
     */
    @Override
    public Set<TextMask> textMasks() {
        return frames == null ? Set.of(TextMask.PAD) : Set.of();
    }

    @Override
    public String textMasking() {
        return PadByText.DESCRIPTION;
    }

    /** The prompt's word tokens as SGLang's {@code /tokenize} finds them; checks that every word can be masked exactly. */
    @Override
    public List<PromptToken> promptTokens(int width, int height) {
        return pad.get().promptTokens();
    }


    /** Entries in chunks of the batch size, the removed spans' words sent as pad texts. */
    @Override
    public double[][] scoreText(TextMaskBatch batch) {
        PadByText.requirePad(batch, "sglang");
        PadByText p = pad.get();
        List<BitSet> kept = batch.keptSpans();
        int n = batch.size();
        int size = model.settings().effectiveBatchSize();
        double[][] out = new double[n][];
        List<int[]> ranges = new ArrayList<>();
        for (int i = 0; i < n; i += size) {
            ranges.add(new int[] {i, Math.min(n, i + size)});
        }
        java.util.function.Function<int[], double[][]> chunk = r -> {
            List<RgbImage> images = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (int i = r[0]; i < r[1]; i++) {
                images.add(batch.imageOf(i));
                texts.add(model.conversationText(p.masked(batch.spans(), kept.get(i)), task.answer(), closed));
            }
            return scoreChunk(images, texts);
        };
        int from = 0;
        if (logprobStart < 0 && !ranges.isEmpty()) {
            copy(chunk.apply(ranges.get(0)), out, 0);
            from = 1;
        }
        List<double[][]> rows = model.parallel(ServerModel.tasks(ranges.subList(from, ranges.size()), chunk));
        for (int c = 0; c < rows.size(); c++) {
            copy(rows.get(c), out, ranges.get(from + c)[0]);
        }
        return out;
    }

    private double[][] scoreChunk(List<RgbImage> chunk) {
        return scoreChunk(chunk, Collections.nCopies(chunk.size(), text));
    }

    private double[][] scoreChunk(List<RgbImage> chunk, List<String> texts) {
        int start = Math.max(0, logprobStart);
        List<List<String>> urls = new ArrayList<>(chunk.size());
        for (RgbImage img : chunk) {
            urls.add(frames == null ? List.of(PngDataUrl.of(img)) : PngDataUrl.of(ServerModel.frames(frames, img)));
        }
        byte[] body = Json.bytes(SglangProtocol.scoreRequestOfImages(texts, urls, start, false));
        EndpointPool.Reply r = model.pool.post(SglangProtocol.GENERATE, body);
        String where = r.where(SglangProtocol.GENERATE);
        List<JsonNode> items = SglangProtocol.items(r.json(), chunk.size(), where);
        double[][] out = new double[chunk.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = SglangProtocol.targetProbabilities(items.get(i), start, tail, offsets, where);
        }
        if (logprobStart < 0) {
            int prompt = SglangProtocol.promptTokens(items.get(0));
            int entries = SglangProtocol.entries(items.get(0), where).size();
            int length = prompt >= 0 ? prompt : start + entries;
            logprobStart = Math.max(0, length - tail.length - 1);
        }
        return out;
    }

    @Override
    public String toString() {
        return "SglangTokenScorer[" + task.targets().size() + " targets, " + model.servedModel() + "]";
    }
}
