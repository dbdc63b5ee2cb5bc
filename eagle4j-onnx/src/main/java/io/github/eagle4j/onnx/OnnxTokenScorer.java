package io.github.eagle4j.onnx;

import io.github.eagle4j.EagleException;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;
import io.github.eagle4j.onnx.runtime.DirectBufferPool;
import io.github.eagle4j.onnx.runtime.ImageEmbedder;
import io.github.eagle4j.onnx.runtime.Logits;
import io.github.eagle4j.onnx.runtime.ModelGraphs;
import io.github.eagle4j.onnx.text.EncodedConversation;
import io.github.eagle4j.text.PromptToken;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextMaskBatch;
import io.github.eagle4j.text.TextSpan;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Teacher-forced target probabilities from an {@link OnnxModel}: for each image size the prompt + answer are
 * encoded once (the image placeholder expanded for that size) and their token embeddings and position ids computed
 * once; each call preprocesses the images, runs the vision encoder once per batch, writes the image features into
 * a copy of the embeddings, runs the decoder once with an empty cache and takes, for the target at answer position
 * j, {@code exp(log_softmax(logits[answerStart + j − 1])[id])} in double precision.
 *
 * <p>Batches hold images of one size only, so masking never changes the image-token count within a model call.
 * A call with more images than {@link #maxBatchSize()} is split into chunks that run side by side on the model's
 * executor. Thread-safe; closing it is a no-op (the model owns the native resources).
 */
public final class OnnxTokenScorer implements TokenScorer {
    private final OnnxModel model;
    private final ScoringTask task;
    private final Function<ImageLayout, EncodedConversation> encoding;
    private final int requestedBatchSize;
    private final int batchSize;
    private final DirectBufferPool pool;
    private final Map<String, Sized> byTokens = new ConcurrentHashMap<>();
    private final OptionalLong padTokenId;
    private volatile float[] padEmbedding;

    /**
     * Everything that depends on the image's token layout ({@link ImageLayout#tokenKey()}): the sequence, its
     * embeddings and positions, the target rows.
     */
    private record Sized(ImageEmbedder embedder, long[][] positions, int[] targetPositions, int keepLast, int batchSize) {
    }

    /**
     * @param encoding the teacher-forced sequence for images of a layout (the answer text encoded, or the prompt
     *                 followed by generated ids)
     */
    OnnxTokenScorer(OnnxModel model, ScoringTask task, int batchSize, Function<ImageLayout, EncodedConversation> encoding) {
        this.model = model;
        this.task = task;
        this.encoding = encoding;
        this.pool = new DirectBufferPool(model.parallelRuns() + 1);
        this.requestedBatchSize = batchSize;
        this.padTokenId = model.textPadTokenId();
        ImageLayout probe = model.family().imageProcessor().probeLayout();
        this.batchSize = Math.min(batchSize, sized(probe).batchSize());
    }

    private Sized sized(ImageLayout layout) {
        if (model.graphs().isClosed()) {
            throw new ScoringException("the model is closed");
        }
        return byTokens.computeIfAbsent(layout.tokenKey(), k -> build(layout));
    }

    private Sized build(ImageLayout layout) {
        EncodedConversation c = encoding.apply(layout);
        long[] ids = c.fullIds();
        ImageEmbedder embedder = new ImageEmbedder(model.graphs(), model.family().imageProcessor(), ids, model.imageTokenId(), layout);
        List<Target> targets = task.targets();
        int[] positions = new int[targets.size()];
        int earliest = ids.length;
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            positions[i] = c.answerStart() + t.index();
            if (positions[i] >= ids.length || ids[positions[i]] != t.id()) {
                throw new ScoringException("target " + t + " is not token " + t.index() + " of the answer for an image of "
                        + layout.width() + "x" + layout.height());
            }
            earliest = Math.min(earliest, positions[i]);
        }
        int keepLast = ids.length - (earliest - 1);
        ModelGraphs g = model.graphs();
        int rows = g.canKeepLastLogits() ? keepLast : ids.length;
        long perImage = Logits.bytes(g.logitsType(), 1, rows, g.vocab());
        if (perImage > Integer.MAX_VALUE) {
            throw new ScoringException("the logits of one image (" + rows + " positions x " + g.vocab()
                    + " tokens) exceed Java's 2 GiB buffer limit");
        }
        int fit = (int) Math.max(1, Integer.MAX_VALUE / Math.max(1, perImage));
        return new Sized(embedder, model.family().positionIds(ids, layout), positions, keepLast, Math.min(requestedBatchSize, fit));
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
        ImageProcessor processor = model.family().imageProcessor();
        for (RgbImage img : images) {
            processor.validate(img);
        }
        return scoreInputs(ImageInput.of(images));
    }

    /**
     * Scores the batch's masked images without building their pixels: the processors resize each one from the
     * batch's per-region sums ({@code MaskedResize}); the probabilities equal those of {@link #score} for
     * {@code batch.images()}.
     */
    @Override
    public double[][] scoreMasked(MaskedBatch batch) {
        model.family().imageProcessor().validate(batch.original());
        return scoreInputs(ImageInput.of(batch));
    }

    /** {@code drop} always; {@code pad} when the tokenizer has a pad or unknown token. */
    @Override
    public Set<TextMask> textMasks() {
        return padTokenId.isPresent() ? EnumSet.allOf(TextMask.class) : EnumSet.of(TextMask.DROP);
    }

    @Override
    public List<PromptToken> promptTokens(int width, int height) {
        return model.promptTokens(task.prompt(), model.family().imageProcessor().layout(width, height));
    }

    /**
     * Scores entries with prompt spans removed: {@code pad} writes the pad token's embedding over the removed tokens'
     * rows of {@code inputs_embeds}; {@code drop} sets their attention-mask entries to 0 and leaves every position id
     * as in the intact sequence (the M-RoPE rows of Qwen-VL included). Spans are found again by their characters in
     * the sequence for the image's size.
     */
    @Override
    public double[][] scoreText(TextMaskBatch batch) {
        if (!textMasks().contains(batch.mask())) {
            throw new ScoringException("model " + model.description().model() + " has neither a pad nor an unknown token, so it cannot mask text with "
                    + batch.mask().cliName() + "; use drop");
        }
        RgbImage original = batch.original();
        ImageProcessor processor = model.family().imageProcessor();
        processor.validate(original);
        List<ImageInput> inputs = batch.images() != null ? ImageInput.of(batch.images())
                : Collections.nCopies(batch.size(), ImageInput.of(original));
        ImageLayout layout = processor.layout(original.width(), original.height());
        int[][] positions = spanPositions(batch.spans(), promptTokens(original.width(), original.height()));
        List<BitSet> kept = batch.keptSpans();
        List<int[]> removed = new ArrayList<>(kept.size());
        for (BitSet k : kept) {
            int count = 0;
            for (int s = 0; s < positions.length; s++) {
                count += k.get(s) ? 0 : positions[s].length;
            }
            int[] r = new int[count];
            int at = 0;
            for (int s = 0; s < positions.length; s++) {
                if (!k.get(s)) {
                    System.arraycopy(positions[s], 0, r, at, positions[s].length);
                    at += positions[s].length;
                }
            }
            removed.add(r);
        }
        float[] pad = batch.mask() == TextMask.PAD ? padEmbedding() : null;
        return scoreInputs(inputs, new TextEdits(batch.mask(), removed, pad), layout);
    }

    /** The sequence positions of each span: the prompt tokens of its message that lie inside its characters. */
    private static int[][] spanPositions(List<TextSpan> spans, List<PromptToken> tokens) {
        int[][] out = new int[spans.size()][];
        for (TextSpan span : spans) {
            List<Integer> at = new ArrayList<>();
            for (PromptToken t : tokens) {
                if (t.message() == span.message() && t.charStart() >= span.charStart() && t.charEnd() <= span.charEnd()) {
                    at.add(t.position());
                }
            }
            if (at.isEmpty()) {
                throw new ScoringException("text span " + span.id() + " '" + span.text() + "' has no tokens in this model's prompt");
            }
            out[span.id()] = at.stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    private float[] padEmbedding() {
        float[] e = padEmbedding;
        if (e == null) {
            e = model.graphs().embed(new long[] {padTokenId.getAsLong()});
            padEmbedding = e;
        }
        return e;
    }

    /**
     * Prompt tokens hidden per entry of a call.
     *
     * @param removed per entry, the sequence positions hidden
     * @param pad     the pad token's embedding ({@code pad} only)
     */
    private record TextEdits(TextMask mask, List<int[]> removed, float[] pad) {
    }

    private double[][] scoreInputs(List<ImageInput> images) {
        return scoreInputs(images, null, null);
    }

    private double[][] scoreInputs(List<ImageInput> images, TextEdits text, ImageLayout textLayout) {
        ImageProcessor processor = model.family().imageProcessor();
        int n = images.size();
        double[][] out = new double[n][];
        if (n == 0) {
            return out;
        }
        // group by size: a model call takes images of one size (one image-token count) only
        Map<Long, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            ImageInput img = images.get(i);
            groups.computeIfAbsent(((long) img.width() << 32) | img.height(), k -> new ArrayList<>()).add(i);
        }
        int parallel = model.parallelRuns();
        List<Runnable> chunks = new ArrayList<>();
        for (List<Integer> group : groups.values()) {
            ImageInput first = images.get(group.get(0));
            ImageLayout layout = textLayout != null ? textLayout : processor.layout(first.width(), first.height());
            Sized sized = sized(layout);
            int chunk = Math.min(sized.batchSize(), Math.max(1, (group.size() + parallel - 1) / parallel));
            for (int from = 0; from < group.size(); from += chunk) {
                List<Integer> indices = group.subList(from, Math.min(group.size(), from + chunk));
                chunks.add(() -> scoreChunk(sized, layout, images, indices, out, text));
            }
        }
        if (chunks.size() == 1 || parallel == 1) {
            chunks.forEach(Runnable::run);
            return out;
        }
        ExecutorService pool = model.executor();
        List<Future<?>> futures = new ArrayList<>();
        for (Runnable r : chunks) {
            futures.add(pool.submit(r));
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

    private void scoreChunk(Sized sized, ImageLayout layout, List<ImageInput> images, List<Integer> indices, double[][] out,
                            TextEdits text) {
        List<ImageInput> batch = new ArrayList<>(indices.size());
        for (int i : indices) {
            batch.add(images.get(i));
        }
        ModelGraphs g = model.graphs();
        ImageEmbedder embedder = sized.embedder();
        int seqLen = embedder.seqLen();
        List<Target> targets = task.targets();
        ByteBuffer embeds = embedder.embeds(batch, layout, pool);
        long[] attention = null;
        if (text != null) {
            FloatBuffer rows = embeds.asFloatBuffer();
            int hidden = text.pad() != null ? text.pad().length : 0;
            if (text.mask() == TextMask.DROP) {
                attention = new long[batch.size() * seqLen];
                java.util.Arrays.fill(attention, 1L);
            }
            for (int b = 0; b < batch.size(); b++) {
                for (int p : text.removed().get(indices.get(b))) {
                    if (attention != null) {
                        attention[b * seqLen + p] = 0L;
                    } else {
                        rows.put((b * seqLen + p) * hidden, text.pad(), 0, hidden);
                    }
                }
            }
        }
        ByteBuffer logitsBuf = pool.take(Logits.bytes(g.logitsType(), batch.size(), g.logitsRows(seqLen, sized.keepLast()), g.vocab()));
        try {
            Logits logits = g.logits(embeds.asFloatBuffer(), batch.size(), seqLen, sized.keepLast(), logitsBuf, sized.positions(),
                    attention);
            pool.give(embeds);
            for (int b = 0; b < batch.size(); b++) {
                double[] row = new double[targets.size()];
                for (int t = 0; t < row.length; t++) {
                    row[t] = Math.exp(logits.logProb(b, sized.targetPositions()[t] - 1, targets.get(t).id()));
                }
                out[indices.get(b)] = row;
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
