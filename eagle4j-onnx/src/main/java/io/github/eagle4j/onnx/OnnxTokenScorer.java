package io.github.eagle4j.onnx;

import io.github.eagle4j.EagleException;
import io.github.eagle4j.Fill;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScorerDescription;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.onnx.family.VideoSupport;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;
import io.github.eagle4j.onnx.runtime.DirectBufferPool;
import io.github.eagle4j.onnx.runtime.ImageEmbedder;
import io.github.eagle4j.onnx.runtime.Logits;
import io.github.eagle4j.onnx.runtime.ModelGraphs;
import io.github.eagle4j.onnx.runtime.PreparedRuns;
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
    private final Function<List<ImageLayout>, EncodedConversation> encoding;
    /** The frames each scored canvas is cut into, or null when each scored image is the prompt's one image. */
    private final FrameLayout frames;
    /** The video the frames are (grouped into temporal patches, one video in the prompt), or null for images. */
    private final VideoClip video;
    private final VideoSupport videoSupport;
    private final int requestedBatchSize;
    private final int batchSize;
    private final DirectBufferPool pool;
    private final Map<String, Sized> byTokens = new ConcurrentHashMap<>();
    private final OptionalLong padTokenId;
    private volatile float[] padEmbedding;
    /** The layouts of the prompt's images (or the video's temporal patches) for the sizes this scorer was made for. */
    private final List<ImageLayout> probeLayouts;

    /**
     * Everything that depends on the images' token layouts ({@link ImageLayout#tokenKey()}): the sequence, its
     * embeddings and positions, the target rows.
     */
    private record Sized(ImageEmbedder embedder, long[][] positions, int[] targetPositions, int keepLast, int batchSize) {
    }

    /**
     * @param encoding the teacher-forced sequence for images of the given layouts, in prompt order (the answer text
     *                 encoded, or the prompt followed by generated ids)
     * @param frames   the frames each scored canvas is cut into, or null for one image per prompt
     * @param video    the video those frames are, or null when they are images
     */
    OnnxTokenScorer(OnnxModel model, ScoringTask task, int batchSize, Function<List<ImageLayout>, EncodedConversation> encoding,
                    FrameLayout frames, VideoClip video) {
        this.model = model;
        this.task = task;
        this.encoding = encoding;
        this.frames = frames;
        this.video = video;
        this.videoSupport = video == null ? null : model.videoSupport();
        this.pool = new DirectBufferPool(model.parallelRuns() + 1);
        this.requestedBatchSize = batchSize;
        this.padTokenId = model.textPadTokenId();
        ImageProcessor processor = processor();
        List<ImageLayout> probe = new ArrayList<>();
        if (video != null) {
            probe.addAll(videoSupport.layouts(video));
        } else if (frames == null) {
            probe.add(processor.probeLayout());
        } else {
            for (FrameLayout.Frame f : frames.frames()) {
                probe.add(processor.layout(f.width(), f.height()));
            }
        }
        this.probeLayouts = List.copyOf(probe);
        this.batchSize = Math.min(batchSize, sized(probe).batchSize());
    }

    /** The preprocessing of what this scorer gives the vision encoder: images, or a video's temporal patches. */
    private ImageProcessor processor() {
        return video != null ? videoSupport.processor() : model.family().imageProcessor();
    }

    private Sized sized(List<ImageLayout> layouts) {
        if (model.graphs().isClosed()) {
            throw new ScoringException("the model is closed");
        }
        StringBuilder key = new StringBuilder();
        for (ImageLayout l : layouts) {
            key.append(l.tokenKey()).append(';');
        }
        return byTokens.computeIfAbsent(key.toString(), k -> build(layouts));
    }

    private Sized build(List<ImageLayout> layouts) {
        EncodedConversation c = encoding.apply(layouts);
        long[] ids = c.fullIds();
        long visualTokenId = video != null ? videoSupport.tokenId() : model.imageTokenId();
        ImageEmbedder embedder = new ImageEmbedder(model.graphs(), processor(), ids, visualTokenId, layouts);
        String size = video != null ? "a video of " + video.count() + " frames" : layouts.size() == 1 ? "an image of " + layouts.get(0).width() + "x" + layouts.get(0).height()
                : layouts.size() + " images";
        List<Target> targets = task.targets();
        int[] positions = new int[targets.size()];
        int earliest = ids.length;
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            positions[i] = c.answerStart() + t.index();
            if (positions[i] >= ids.length || ids[positions[i]] != t.id()) {
                throw new ScoringException("target " + t + " is not token " + t.index() + " of the answer for " + size);
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
        long[][] pos = video != null ? videoSupport.positionIds(ids, video)
                : layouts.size() == 1 ? model.family().positionIds(ids, layouts.get(0)) : model.family().positionIds(ids, layouts);
        return new Sized(embedder, pos, positions, keepLast, Math.min(requestedBatchSize, fit));
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

    /**
     * Scores images; for a scorer bound to several frames ({@link OnnxModel#scorer(String, String, List, FrameLayout)})
     * each image is a canvas of the layout, cut into its frames before preprocessing.
     */
    @Override
    public double[][] score(List<RgbImage> images) {
        ImageProcessor processor = model.family().imageProcessor();
        if (frames != null) {
            return scoreInputs(grouped(cut(images)));
        }
        for (RgbImage img : images) {
            processor.validate(img);
        }
        List<List<ImageInput>> inputs = new ArrayList<>(images.size());
        for (ImageInput in : ImageInput.of(images)) {
            inputs.add(List.of(in));
        }
        return scoreInputs(inputs);
    }

    /** Each entry's frames grouped into the video's temporal patches; the entries themselves for images. */
    private List<List<ImageInput>> grouped(List<List<ImageInput>> entries) {
        if (video == null) {
            return entries;
        }
        List<List<ImageInput>> out = new ArrayList<>(entries.size());
        for (List<ImageInput> frameInputs : entries) {
            out.add(videoSupport.temporalPatches(frameInputs));
        }
        return out;
    }

    /** Canvases cut into their frames, each frame validated. */
    private List<List<ImageInput>> cut(List<RgbImage> canvases) {
        ImageProcessor processor = processor();
        List<List<ImageInput>> inputs = new ArrayList<>(canvases.size());
        for (RgbImage canvas : canvases) {
            if (canvas.width() != frames.canvasWidth() || canvas.height() != frames.canvasHeight()) {
                throw new ScoringException("a canvas of " + canvas.width() + "x" + canvas.height() + " for frames " + frames);
            }
            List<ImageInput> parts = new ArrayList<>(frames.count());
            for (RgbImage frame : frames.split(canvas)) {
                processor.validate(frame);
                parts.add(ImageInput.of(frame));
            }
            inputs.add(parts);
        }
        return inputs;
    }

    /**
     * The batch's masked canvases as masked images of each frame, for the per-region resize: one masker per frame
     * (its own image, its regions with ids shifted to 0..n-1), kept sets cut to the frame's ids. Null when the fill
     * is not black and the canvas masker does not fill image by image (its mean or blur would then cross the
     * seams), or a frame's ids do not form one run of at least two.
     */
    private List<List<ImageInput>> perFrameMasked(MaskedBatch batch) {
        if (batch.fill() != Fill.BLACK && !batch.masker().frames().equals(frames)) {
            return null;
        }
        FrameMaskers fm = frameMaskers(batch.masker());
        if (fm == null) {
            return null;
        }
        List<BitSet> kept = batch.keptSets();
        List<List<ImageInput>> byFrame = new ArrayList<>(frames.count());
        for (int k = 0; k < frames.count(); k++) {
            List<BitSet> local = new ArrayList<>(kept.size());
            for (BitSet b : kept) {
                local.add(b.get(fm.first[k], fm.first[k] + fm.maskers.get(k).regions().regionCount()));
            }
            MaskedBatch frameBatch = new MaskedBatch(fm.maskers.get(k), local);
            processor().validate(frameBatch.original());
            byFrame.add(ImageInput.of(frameBatch));
        }
        List<List<ImageInput>> out = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            List<ImageInput> parts = new ArrayList<>(frames.count());
            for (int k = 0; k < frames.count(); k++) {
                parts.add(byFrame.get(k).get(i));
            }
            out.add(parts);
        }
        return out;
    }

    /** Per-frame maskers of one canvas masker, with each frame's first region id. */
    private record FrameMaskers(Masker canvas, List<Masker> maskers, int[] first) {
    }

    /** The last canvas masker's per-frame maskers: a search sends the same masker in every call. */
    private volatile FrameMaskers lastFrameMaskers;

    private FrameMaskers frameMaskers(Masker canvas) {
        FrameMaskers last = lastFrameMaskers;
        if (last != null && last.canvas() == canvas) {
            return last;
        }
        io.github.eagle4j.RegionSet regions = canvas.regions();
        int[] frameOf;
        try {
            frameOf = frames.frameOfRegions(regions);
        } catch (IllegalArgumentException e) {
            return null;
        }
        List<Masker> maskers = new ArrayList<>();
        int[] first = new int[frames.count()];
        int next = 0;
        for (int k = 0; k < frames.count(); k++) {
            first[k] = next;
            while (next < frameOf.length && frameOf[next] == k) {
                next++;
            }
            if (next - first[k] < 2) {
                return null;
            }
            int[] local = io.github.eagle4j.regions.FrameSegmenter.frameLabels(frames, regions, k);
            FrameLayout.Frame f = frames.frame(k);
            maskers.add(new Masker(frames.frameImage(canvas.original(), k),
                    io.github.eagle4j.RegionSet.fromLabels(f.width(), f.height(), local), canvas.fill()));
        }
        if (next != frameOf.length) {
            return null;
        }
        FrameMaskers fm = new FrameMaskers(canvas, maskers, first);
        lastFrameMaskers = fm;
        return fm;
    }

    /** The frames each scored canvas is cut into; empty for a one-image scorer. */
    @Override
    public java.util.Optional<FrameLayout> frames() {
        return java.util.Optional.ofNullable(frames);
    }

    /**
     * Scores the batch's masked images without building their pixels: the processors resize each one from the
     * batch's per-region sums ({@code MaskedResize}); the probabilities equal those of {@link #score} for
     * {@code batch.images()}.
     */
    @Override
    public double[][] scoreMasked(MaskedBatch batch) {
        if (frames != null) {
            return scoreInputs(framesOf(batch));
        }
        model.family().imageProcessor().validate(batch.original());
        List<List<ImageInput>> inputs = new ArrayList<>(batch.size());
        for (ImageInput in : ImageInput.of(batch)) {
            inputs.add(List.of(in));
        }
        return scoreInputs(inputs);
    }

    /** A batch of masked canvases as each entry's frames (grouped into temporal patches for a video). */
    private List<List<ImageInput>> framesOf(MaskedBatch batch) {
        List<List<ImageInput>> perFrame = perFrameMasked(batch);
        // without per-image regions (a canvas label map whose ids mix images, a mean or blur fill computed over
        // the canvas) the masked canvases are built and cut
        return grouped(perFrame != null ? perFrame : cut(batch.images()));
    }

    /** {@code drop} always; {@code pad} when the tokenizer has a pad or unknown token. */
    @Override
    public Set<TextMask> textMasks() {
        return padTokenId.isPresent() ? EnumSet.allOf(TextMask.class) : EnumSet.of(TextMask.DROP);
    }

    /**
     * The prompt's own tokens for an image of {@code width × height}; for a scorer of several images or a video, in the
     * sequence for its frames ({@code width × height} must then be the canvas's size).
     */
    @Override
    public List<PromptToken> promptTokens(int width, int height) {
        if (frames == null) {
            return model.promptTokens(task.prompt(), model.family().imageProcessor().layout(width, height));
        }
        if (width != frames.canvasWidth() || height != frames.canvasHeight()) {
            throw new ScoringException("prompt tokens for a canvas of " + width + "x" + height + " asked of a scorer for frames " + frames);
        }
        return model.promptTokens(task.prompt(), probeLayouts, video != null);
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
        List<List<ImageInput>> inputs;
        if (frames != null) {
            // a canvas of several images or a video's frames: masked canvases as scoreMasked takes them; an intact
            // canvas cut (and grouped into temporal patches) once, so equal inputs are shared by every entry
            inputs = batch.images() != null ? framesOf(batch.images())
                    : Collections.nCopies(batch.size(), grouped(cut(List.of(original))).get(0));
        } else {
            model.family().imageProcessor().validate(original);
            List<ImageInput> images = batch.images() != null ? ImageInput.of(batch.images())
                    : Collections.nCopies(batch.size(), ImageInput.of(original));
            inputs = new ArrayList<>(images.size());
            for (ImageInput in : images) {
                inputs.add(List.of(in));
            }
        }
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
        return scoreInputs(inputs, new TextEdits(batch.mask(), removed, pad));
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

    /** Scores batch entries, each the prompt's images in order. */
    private double[][] scoreInputs(List<List<ImageInput>> images) {
        return scoreInputs(images, null);
    }

    /** Scores batch entries, each the prompt's images in order, with prompt tokens hidden per entry when {@code text} is given. */
    private double[][] scoreInputs(List<List<ImageInput>> images, TextEdits text) {
        ImageProcessor processor = processor();
        int n = images.size();
        double[][] out = new double[n][];
        if (n == 0) {
            return out;
        }
        // group by size: a model call takes images of one size (one image-token count) only
        Map<List<Long>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            List<Long> sizes = new ArrayList<>();
            for (ImageInput img : images.get(i)) {
                sizes.add(((long) img.width() << 32) | img.height());
            }
            groups.computeIfAbsent(sizes, k -> new ArrayList<>()).add(i);
        }
        int parallel = model.parallelRuns();
        List<Runnable> chunks = new ArrayList<>();
        for (List<Integer> group : groups.values()) {
            List<ImageLayout> layouts = new ArrayList<>();
            for (ImageInput img : images.get(group.get(0))) {
                layouts.add(processor.layout(img.width(), img.height()));
            }
            Sized sized = sized(layouts);
            int from = 0;
            for (int size : chunkSizes(group.size(), sized.batchSize(), parallel)) {
                List<Integer> indices = group.subList(from, from + size);
                from += size;
                chunks.add(() -> scoreChunk(sized, layouts, images, indices, out, text));
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

    /**
     * How a call's {@code count} images are split into model runs: as few runs as the batch size allows with every
     * parallel run given the same number of images, chunk sizes differing by at most one, the larger first. A call
     * waits for its slowest parallel run, so at batch 8 on two runs 18 images go as 5, 5, 4, 4 (9 per run) rather
     * than 8, 8, 2 (10 on one run, 8 on the other).
     */
    static int[] chunkSizes(int count, int batchSize, int parallel) {
        int runs = Math.max(1, parallel);
        int calls = Math.min(count, runs * ceilDiv(count, runs * Math.max(1, batchSize)));
        int[] sizes = new int[calls];
        for (int c = 0; c < calls; c++) {
            sizes[c] = count / calls + (c < count % calls ? 1 : 0);
        }
        return sizes;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private void scoreChunk(Sized sized, List<ImageLayout> layouts, List<List<ImageInput>> images, List<Integer> indices,
                            double[][] out, TextEdits text) {
        int perEntry = images.get(indices.get(0)).size();
        List<List<ImageInput>> byImage = new ArrayList<>(perEntry);
        for (int k = 0; k < perEntry; k++) {
            List<ImageInput> kth = new ArrayList<>(indices.size());
            for (int i : indices) {
                kth.add(images.get(i).get(k));
            }
            byImage.add(kth);
        }
        List<ImageInput> batch = byImage.get(0);
        ModelGraphs g = model.graphs();
        ImageEmbedder embedder = sized.embedder();
        int seqLen = embedder.seqLen();
        List<Target> targets = task.targets();
        ByteBuffer embeds = embedder.embedsOfImages(byImage, layouts, pool);
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

    /**
     * Prepared tensors for the raw ONNX Runtime throughput of this scorer's model calls on {@code batch}'s images (as
     * many as this scorer's batch size): its vision and decoder runs, with the model's runs side by side; close them
     * when done.
     */
    PreparedRuns prepareRuns(MaskedBatch batch) {
        if (batch.size() != batchSize) {
            throw new IllegalArgumentException(batch.size() + " images for a scorer of batch size " + batchSize);
        }
        ImageProcessor processor = model.family().imageProcessor();
        processor.validate(batch.original());
        ImageLayout layout = processor.layout(batch.original().width(), batch.original().height());
        Sized sized = sized(List.of(layout));
        return PreparedRuns.prepare(model.graphs(), processor, sized.embedder(), ImageInput.of(batch), layout,
                sized.positions(), sized.keepLast(), model.parallelRuns());
    }

    @Override
    public String toString() {
        return "OnnxTokenScorer[" + task.targets().size() + " targets, batch " + batchSize + "]";
    }
}
