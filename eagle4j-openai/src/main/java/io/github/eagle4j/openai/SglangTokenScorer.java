package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.TokenScorer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
    private final String text;
    private final long[] tail;
    private final int[] offsets;
    private volatile int logprobStart = -1;
    /** The frames each scored canvas is cut into, or null when each image is the prompt's one image. */
    private final FrameLayout frames;

    SglangTokenScorer(SglangModel model, ScoringTask task, String text, long[] tail, FrameLayout frames) {
        this.model = model;
        this.frames = frames;
        this.task = task;
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

    private double[][] scoreChunk(List<RgbImage> chunk) {
        int start = Math.max(0, logprobStart);
        List<List<String>> urls = new ArrayList<>(chunk.size());
        for (RgbImage img : chunk) {
            urls.add(frames == null ? List.of(PngDataUrl.of(img)) : PngDataUrl.of(ServerModel.frames(frames, img)));
        }
        byte[] body = Json.bytes(SglangProtocol.scoreRequestOfImages(Collections.nCopies(chunk.size(), text), urls, start, false));
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
