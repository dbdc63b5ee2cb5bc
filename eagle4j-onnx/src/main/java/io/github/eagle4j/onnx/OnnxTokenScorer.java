package io.github.eagle4j.onnx;

import io.github.eagle4j.EagleException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Teacher-forced target probabilities from an {@link OnnxModel}: the token embeddings of prompt + answer are
 * computed once; each call preprocesses the images, runs the vision encoder once per batch, writes the image
 * features into a copy of the embeddings, runs the decoder once with an empty cache and takes, for the target
 * at answer position j, {@code exp(log_softmax(logits[answerStart + j − 1])[id])} in double precision.
 *
 * <p>A call with more images than {@link #maxBatchSize()} is split into chunks that run side by side on the
 * model's executor. Thread-safe; closing it is a no-op (the model owns the native resources).
 */
public final class OnnxTokenScorer implements TokenScorer {
    private final OnnxModel model;
    private final ScoringTask task;
    private final ImageEmbedder embedder;
    private final int answerStart;
    private final int[] targetPositions;
    private final long[] targetIds;
    private final int keepLast;
    private final int batchSize;
    private final DirectBufferPool pool;

    OnnxTokenScorer(OnnxModel model, ScoringTask task, EncodedConversation conversation, int batchSize) {
        this.model = model;
        this.task = task;
        long[] ids = conversation.fullIds();
        this.embedder = new ImageEmbedder(model.graphs(), model.imageProcessor(), ids, model.imageTokenId());
        this.answerStart = conversation.answerStart();
        List<Target> targets = task.targets();
        this.targetPositions = new int[targets.size()];
        this.targetIds = new long[targets.size()];
        int earliest = ids.length;
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            targetPositions[i] = answerStart + t.index();
            targetIds[i] = t.id();
            if (ids[targetPositions[i]] != t.id()) {
                throw new ScoringException("target " + t + " does not match token id " + ids[targetPositions[i]] + " of the answer");
            }
            earliest = Math.min(earliest, targetPositions[i]);
        }
        this.keepLast = ids.length - (earliest - 1);
        int vocab = model.graphs().vocab();
        int rows = model.graphs().canKeepLastLogits() ? keepLast : ids.length;
        long perImage = Logits.bytes(model.graphs().logitsType(), 1, rows, vocab);
        long fit = Math.max(1, Integer.MAX_VALUE / Math.max(1, perImage));
        if (perImage > Integer.MAX_VALUE) {
            throw new ScoringException("the logits of one image (" + rows + " positions x " + vocab
                    + " tokens) exceed Java's 2 GiB buffer limit");
        }
        this.batchSize = (int) Math.min(batchSize, fit);
        this.pool = new DirectBufferPool(model.parallelRuns() + 1);
    }

    @Override
    public ScoringTask task() {
        return task;
    }

    @Override
    public int maxBatchSize() {
        return batchSize;
    }

    @Override
    public ScorerDescription description() {
        return model.description();
    }

    @Override
    public double[][] score(List<RgbImage> images) {
        for (RgbImage img : images) {
            model.imageProcessor().validate(img);
        }
        int n = images.size();
        double[][] out = new double[n][];
        if (n == 0) {
            return out;
        }
        int parallel = model.parallelRuns();
        int chunk = Math.min(batchSize, Math.max(1, (n + parallel - 1) / parallel));
        List<int[]> ranges = new ArrayList<>();
        for (int from = 0; from < n; from += chunk) {
            ranges.add(new int[] {from, Math.min(n, from + chunk)});
        }
        if (ranges.size() == 1 || parallel == 1) {
            for (int[] r : ranges) {
                scoreChunk(images, r[0], r[1], out);
            }
            return out;
        }
        ExecutorService pool = model.executor();
        List<Future<?>> futures = new ArrayList<>();
        for (int[] r : ranges) {
            futures.add(pool.submit(() -> scoreChunk(images, r[0], r[1], out)));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new ScoringException("interrupted while scoring", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable c = e.getCause();
            if (c instanceof EagleException ee) {
                throw ee;
            }
            throw new ScoringException("scoring failed: " + c, c);
        }
        return out;
    }

    private void scoreChunk(List<RgbImage> images, int from, int to, double[][] out) {
        List<RgbImage> batch = images.subList(from, to);
        LlavaGraphs g = model.graphs();
        int seqLen = embedder.seqLen();
        ByteBuffer embeds = embedder.embeds(batch, pool);
        ByteBuffer logitsBuf = pool.take(Logits.bytes(g.logitsType(), batch.size(), g.logitsRows(seqLen, keepLast), g.vocab()));
        try {
            Logits logits = g.logits(embeds.asFloatBuffer(), batch.size(), seqLen, keepLast, logitsBuf);
            pool.give(embeds);
            for (int b = 0; b < batch.size(); b++) {
                double[] row = new double[targetIds.length];
                for (int t = 0; t < targetIds.length; t++) {
                    row[t] = Math.exp(logits.logProb(b, targetPositions[t] - 1, targetIds[t]));
                }
                out[from + b] = row;
            }
        } finally {
            pool.give(logitsBuf);
        }
    }

    @Override
    public String toString() {
        return "OnnxTokenScorer[" + task.targets().size() + " targets, batch " + batchSize + "]";
    }
}
