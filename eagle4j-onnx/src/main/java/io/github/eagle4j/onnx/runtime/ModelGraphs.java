package io.github.eagle4j.onnx.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.onnx.OnnxSettings;
import io.github.eagle4j.onnx.family.ModelConfig;
import io.github.eagle4j.onnx.family.ModelFamily;
import io.github.eagle4j.onnx.hub.ModelDirectory;
import io.github.eagle4j.onnx.image.ImageInput;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.onnx.image.ImageProcessor;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The three ONNX Runtime sessions of an image-text-to-text export in the onnx-community layout
 * ({@code vision_encoder}, {@code embed_tokens}, {@code decoder_model_merged}) and the runs made on them: loading
 * on the chosen device, embedding token ids, image features, and one teacher-forced decoder pass. What the graphs
 * take and give is read and checked once by {@link GraphSignature}; greedy generation keeps its KV cache in a
 * {@link DecoderCache}. Sessions are safe for concurrent {@code run} calls; time spent inside them is accumulated
 * for the benchmark.
 */
public final class ModelGraphs implements AutoCloseable {
    static final String VISION = "vision_encoder";
    static final String EMBED = "embed_tokens";
    static final String DECODER = "decoder_model_merged";

    private final OrtEnvironment env;
    private final OrtSession vision;
    private final OrtSession embed;
    private final OrtSession decoder;
    private final String device;
    private final GraphFiles files;
    private final GraphSignature signature;
    private final LongAdder ortNanos = new LongAdder();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private ModelGraphs(OrtEnvironment env, OrtSession vision, OrtSession embed, OrtSession decoder, String device, GraphFiles files,
                        GraphSignature signature) {
        this.files = files;
        this.signature = signature;
        this.env = env;
        this.vision = vision;
        this.embed = embed;
        this.decoder = decoder;
        this.device = device;
    }

    /**
     * Loads and validates the graphs.
     *
     * @throws InvalidInputException naming the file or config field that does not fit
     */
    public static ModelGraphs open(ModelDirectory dir, ModelConfig cfg, ModelFamily family, OnnxSettings settings) {
        GraphFiles files = GraphFiles.choose(dir, settings.dtype());
        String visionFile = files.vision();
        String embedFile = files.embed();
        String decoderFile = files.decoder();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<String> devices = candidateDevices(settings.device());
        for (int i = 0; i < devices.size(); i++) {
            boolean lastChance = i == devices.size() - 1;
            String device = devices.get(i);
            OrtSession v = null;
            OrtSession e = null;
            OrtSession d = null;
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                configure(so, settings, device);
                v = load(env, dir, visionFile, so, lastChance);
                e = load(env, dir, embedFile, so, lastChance);
                d = load(env, dir, decoderFile, so, lastChance);
                ModelGraphs g = new ModelGraphs(env, v, e, d, device, files, GraphSignature.read(v, e, d, files, cfg, family));
                g.probe(visionFile, embedFile, family);
                return g;
            } catch (OrtException ex) {
                closeQuietly(v, e, d);
                if (!lastChance) {
                    continue;
                }
                if (device.startsWith("cuda")) {
                    throw new InvalidInputException("device " + device + " is not usable: " + ModelDirectory.firstLine(ex.getMessage()), ex);
                }
                throw new InvalidInputException("ONNX Runtime cannot set up the model: " + ModelDirectory.firstLine(ex.getMessage()), ex);
            } catch (RuntimeException ex) {
                closeQuietly(v, e, d);
                throw ex;
            }
        }
        throw new AssertionError("no device candidates");
    }

    /** Devices to try in order: {@code auto} tries CUDA first when ONNX Runtime has the provider, then CPU. */
    private static List<String> candidateDevices(String device) {
        boolean cuda = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        if (device.equals("cpu")) {
            return List.of("cpu");
        }
        if (device.equals("auto")) {
            return cuda ? List.of("cuda:0", "cpu") : List.of("cpu");
        }
        if (!cuda) {
            throw new InvalidInputException("device " + device + " needs the onnxruntime_gpu artifact in place of onnxruntime on the class path");
        }
        return List.of(device.equals("cuda") ? "cuda:0" : device);
    }

    private static void configure(OrtSession.SessionOptions so, OnnxSettings settings, String device) throws OrtException {
        so.setIntraOpNumThreads(settings.threads());
        so.setInterOpNumThreads(1);
        so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (settings.threads() > 1 && settings.parallel() != 1) {
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
        }
        if (device.startsWith("cuda:")) {
            try {
                so.addCUDA(Integer.parseInt(device.substring(5)));
            } catch (RuntimeException ex) {
                throw new OrtException("the CUDA provider failed: " + ex.getMessage());
            }
        }
    }

    /**
     * Creates a session. A failure is the file's fault only when no other device is left to try; before that it
     * surfaces as {@link OrtException} so the caller can fall back to the CPU.
     */
    private static OrtSession load(OrtEnvironment env, ModelDirectory dir, String file, OrtSession.SessionOptions so,
                                   boolean lastChance) throws OrtException {
        try {
            return env.createSession(dir.require(file).toString(), so);
        } catch (OrtException ex) {
            if (!lastChance) {
                throw ex;
            }
            throw new InvalidInputException(file + " is not an ONNX model ONNX Runtime can load: "
                    + ModelDirectory.firstLine(ex.getMessage()), ex);
        }
    }

    private static void closeQuietly(OrtSession... sessions) {
        for (OrtSession s : sessions) {
            if (s != null) {
                try {
                    s.close();
                } catch (OrtException ignored) {
                    // already failing
                }
            }
        }
    }

    /** Runs the embedding once, and the vision encoder on a blank image, to check their sizes. */
    private void probe(String visionFile, String embedFile, ModelFamily family) {
        try {
            float[] e = embed(new long[] {vocab() - 1});
            if (e.length != hidden()) {
                throw new InvalidInputException(embedFile + " emits embeddings of size " + e.length + " but " + ModelDirectory.CONFIG
                        + " text_config.hidden_size is " + hidden());
            }
        } catch (ScoringException ex) {
            throw new InvalidInputException(embedFile + " cannot embed token id " + (vocab() - 1) + " (its table is smaller than "
                    + ModelDirectory.CONFIG + " text_config.vocab_size " + vocab() + ")", ex);
        }
        ImageLayout layout = family.imageProcessor().probeLayout();
        RgbImage blank = RgbImage.filled(layout.width(), layout.height(), 0);
        long rows;
        try {
            rows = featureCount(List.of(ImageInput.of(blank)), layout, family.imageProcessor()) / hidden();
        } catch (ScoringException ex) {
            throw new InvalidInputException(visionFile + " fails on a blank " + layout.width() + "x" + layout.height() + " image: "
                    + ex.getMessage(), ex);
        }
        if (rows != layout.imageTokens()) {
            throw new InvalidInputException(visionFile + " emits " + rows + " feature rows for a " + layout.width() + "x" + layout.height()
                    + " image, but model family " + family.name() + " puts " + layout.imageTokens()
                    + " image tokens in the prompt for it (" + ModelDirectory.CONFIG + " and " + ModelDirectory.PREPROCESSOR_CONFIG
                    + " do not match the graph)");
        }
    }

    private long featureCount(List<ImageInput> images, ImageLayout layout, ImageProcessor processor) {
        try (TensorScope scope = new TensorScope(env)) {
            try (OrtSession.Result r = timed(vision, processor.visionInputs(images, layout, scope), Set.of(signature.featuresName()), Map.of())) {
                return ((OnnxTensor) r.get(signature.featuresName()).orElseThrow()).getInfo().getNumElements();
            }
        } catch (OrtException e) {
            throw new ScoringException("vision_encoder failed: " + ModelDirectory.firstLine(e.getMessage()), e);
        }
    }

    // ---------------------------------------------------------------- facts

    int hidden() {
        return signature.hidden();
    }

    /** The model's vocabulary size (the logits' last dimension). */
    public int vocab() {
        return signature.vocab();
    }

    /** The graph files loaded and their dtype. */
    public GraphFiles files() {
        return files;
    }

    /** {@code cpu} or {@code cuda:N}. */
    public String device() {
        return device;
    }

    /** Nanoseconds spent inside ONNX Runtime run calls so far, over all threads. */
    public long ortNanos() {
        return ortNanos.sum();
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        lifecycle.readLock().lock();
        try {
            return closed;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    public OnnxJavaType logitsType() {
        return signature.logitsType();
    }

    /** Whether the decoder can return only the last rows of logits. */
    public boolean canKeepLastLogits() {
        return signature.canKeepLastLogits();
    }

    // ---------------------------------------------------------------- runs

    /** Runs a session under the read lock, so that {@link #close()} never frees a session in use. */
    private OrtSession.Result timed(OrtSession s, Map<String, OnnxTensor> in, Set<String> requested, Map<String, OnnxValue> pinned)
            throws OrtException {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new ScoringException("the model is closed");
            }
            long t0 = System.nanoTime();
            try {
                if (pinned.isEmpty()) {
                    return s.run(in, requested);
                }
                return s.run(in, requested, pinned);
            } finally {
                ortNanos.add(System.nanoTime() - t0);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Embeddings of one sequence, {@code [ids.length × hidden]} row-major. */
    public float[] embed(long[] ids) {
        try (TensorScope scope = new TensorScope(env)) {
            LongBuffer b = TensorScope.directLongs(ids.length);
            b.put(ids);
            OnnxTensor t = scope.longs(b, 1, ids.length);
            try (OrtSession.Result r = timed(embed, Map.of(signature.idsName(), t), Set.of(signature.embedsOutName()), Map.of())) {
                OnnxTensor out = (OnnxTensor) r.get(signature.embedsOutName()).orElseThrow();
                FloatBuffer f = out.getFloatBuffer();
                float[] a = new float[f.remaining()];
                f.get(a);
                return a;
            }
        } catch (OrtException e) {
            throw new ScoringException("embed_tokens failed: " + ModelDirectory.firstLine(e.getMessage()), e);
        }
    }

    /**
     * Image features for a batch of images of one size (checked here, so processors may rely on it): {@code [images × layout.imageTokens() × hidden]} row-major.
     * The input tensors' buffers come from {@code pool} (may be null) and go back to it.
     *
     * @throws ScoringException when the encoder emits another number of feature rows than the layout's image tokens
     */
    float[] features(List<ImageInput> images, ImageLayout layout, ImageProcessor processor, DirectBufferPool pool) {
        for (ImageInput img : images) {
            if (img.width() != layout.width() || img.height() != layout.height()) {
                throw new ScoringException("image " + img.width() + "x" + img.height() + " in a batch for images of " + layout.width() + "x"
                        + layout.height() + " (batches hold images of one size)");
            }
        }
        int step = Math.max(1, processor.imagesPerVisionRun());
        if (images.size() <= step) {
            return featuresOfOneRun(images, layout, processor, pool);
        }
        float[] all = new float[Math.multiplyExact(images.size(), layout.imageTokens() * hidden())];
        for (int from = 0; from < images.size(); from += step) {
            List<ImageInput> part = images.subList(from, Math.min(images.size(), from + step));
            float[] f = featuresOfOneRun(part, layout, processor, pool);
            System.arraycopy(f, 0, all, from * layout.imageTokens() * hidden(), f.length);
        }
        return all;
    }

    private float[] featuresOfOneRun(List<ImageInput> images, ImageLayout layout, ImageProcessor processor, DirectBufferPool pool) {
        try (TensorScope scope = new TensorScope(env, pool)) {
            try (OrtSession.Result r = timed(vision, processor.visionInputs(images, layout, scope), Set.of(signature.featuresName()), Map.of())) {
                FloatBuffer f = ((OnnxTensor) r.get(signature.featuresName()).orElseThrow()).getFloatBuffer();
                long expected = (long) images.size() * layout.imageTokens() * hidden();
                if (f.remaining() != expected) {
                    throw new ScoringException("the vision encoder emitted " + f.remaining() / hidden() + " feature rows for " + images.size()
                            + " images of " + layout.width() + "x" + layout.height() + ", but the prompt has " + layout.imageTokens()
                            + " image tokens per image");
                }
                float[] a = new float[f.remaining()];
                f.get(a);
                return a;
            }
        } catch (OrtException e) {
            throw new ScoringException("vision_encoder failed: " + ModelDirectory.firstLine(e.getMessage()), e);
        }
    }

    /** Runs the decoder (under the lifecycle lock, timed); for {@link DecoderCache}. */
    OrtSession.Result runDecoder(Map<String, OnnxTensor> in, Set<String> requested, Map<String, OnnxValue> pinned) throws OrtException {
        return timed(decoder, in, requested, pinned);
    }

    /** The graphs' signature: tensor names, sizes and how to feed the decoder. */
    GraphSignature signature() {
        return signature;
    }

    OrtEnvironment env() {
        return env;
    }

    /** A fresh greedy-decoding state (an empty KV cache) for one sequence. */
    public DecoderCache newCache() {
        return new DecoderCache(this);
    }

    /** Rows of logits per sequence a scoring pass returns: {@code keepLast} when the graph can limit them, else all. */
    public int logitsRows(int seqLen, int keepLast) {
        return signature.canKeepLastLogits() ? Math.min(keepLast, seqLen) : seqLen;
    }

    /**
     * One teacher-forced decoder pass with an empty cache, returning only the logits.
     *
     * @param embeds   {@code [batch, seqLen, hidden]} in a direct buffer
     * @param keepLast how many final positions need logits (all when the graph cannot limit them)
     * @param buf       direct buffer of {@code Logits.bytes(logitsType(), batch, logitsRows(seqLen, keepLast), vocab())}
     *                  bytes that ONNX Runtime writes the logits into
     * @param positions the sequence's position ids, {@code [family rows][seqLen]}, the same for every image
     */
    public Logits logits(FloatBuffer embeds, int batch, int seqLen, int keepLast, ByteBuffer buf, long[][] positions) {
        return logits(embeds, batch, seqLen, keepLast, buf, positions, null);
    }

    /**
     * As {@link #logits(FloatBuffer, int, int, int, ByteBuffer, long[][])} with an attention mask per sequence:
     * {@code [batch × seqLen]} 0/1 values ({@code null}: all ones). Position ids are not derived from it.
     */
    public Logits logits(FloatBuffer embeds, int batch, int seqLen, int keepLast, ByteBuffer buf, long[][] positions,
                         long[] attentionMask) {
        int rows = logitsRows(seqLen, keepLast);
        try (TensorScope scope = new TensorScope(env)) {
            Map<String, OnnxTensor> in = signature.decoderInputs(scope, embeds, batch, seqLen, 0, null, rows, positions, attentionMask);
            OnnxTensor out = scope.bytes(buf, logitsType(), batch, rows, vocab());
            timed(decoder, in, Set.of(), Map.of("logits", out)).close();
            return new Logits(buf, logitsType(), rows, vocab(), seqLen - rows);
        } catch (OrtException e) {
            throw new ScoringException("decoder_model_merged failed: " + ModelDirectory.firstLine(e.getMessage()), e);
        }
    }

    /** Waits for runs in progress, then frees the sessions; later runs fail with a {@link ScoringException}. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly(vision, embed, decoder);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
