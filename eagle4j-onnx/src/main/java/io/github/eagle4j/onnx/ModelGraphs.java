package io.github.eagle4j.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringException;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three ONNX Runtime sessions of an image-text-to-text export in the onnx-community layout
 * ({@code vision_encoder}, {@code embed_tokens}, {@code decoder_model_merged}), with their inputs and outputs read
 * from the graphs and checked against {@code config.json} and the {@link ModelFamily} before anything runs, so
 * that a mismatch is a one-line error instead of a native failure. Sessions are safe for concurrent {@code run} calls; time spent inside them is accumulated for
 * the benchmark.
 */
final class ModelGraphs implements AutoCloseable {
    static final String VISION = "vision_encoder";
    static final String EMBED = "embed_tokens";
    static final String DECODER = "decoder_model_merged";

    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");

    private final OrtEnvironment env;
    private final OrtSession vision;
    private final OrtSession embed;
    private final OrtSession decoder;
    private final String device;
    private final GraphFiles files;
    private final LongAdder ortNanos = new LongAdder();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private String featuresName;
    private int hidden;
    private String idsName;
    private String embedsOutName;
    private String maskName;
    private String positionName;
    private int positionRows;
    private final List<Past> past = new ArrayList<>();
    private String useCacheBranchName;
    private long[] useCacheBranchShape;
    private String logitsToKeepName;
    private long[] logitsToKeepShape;
    private OnnxJavaType logitsType;
    private int vocab;

    /** One KV-cache input and the output that feeds it on the next step. */
    private record Past(String input, String output, OnnxJavaType type, long[] shape) {
    }

    private ModelGraphs(OrtEnvironment env, OrtSession vision, OrtSession embed, OrtSession decoder, String device, GraphFiles files) {
        this.files = files;
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
    static ModelGraphs open(ModelDirectory dir, ModelConfig cfg, ModelFamily family, OnnxSettings settings) {
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
                ModelGraphs g = new ModelGraphs(env, v, e, d, device, files);
                g.checkVision(visionFile, cfg, family);
                g.checkEmbed(embedFile, cfg);
                g.checkDecoder(decoderFile, cfg, family);
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

    // ---------------------------------------------------------------- validation

    private static TensorInfo require(Map<String, NodeInfo> nodes, String name, String kind, String file, OnnxJavaType type, int rank) {
        return GraphNodes.require(nodes, name, kind, file, type, rank);
    }

    private static String onlyOrNamed(Map<String, NodeInfo> nodes, String preferred, String kind, String file) {
        if (nodes.containsKey(preferred)) {
            return preferred;
        }
        if (nodes.size() == 1) {
            return nodes.keySet().iterator().next();
        }
        throw new InvalidInputException(file + " has no " + kind + " named " + preferred + " (it has " + new TreeSet<>(nodes.keySet()) + ")");
    }

    private static long last(TensorInfo t) {
        long[] s = t.getShape();
        return s[s.length - 1];
    }

    private void checkVision(String file, ModelConfig cfg, ModelFamily family) throws OrtException {
        family.imageProcessor().checkVisionInputs(vision.getInputInfo(), file);
        Map<String, NodeInfo> out = vision.getOutputInfo();
        featuresName = onlyOrNamed(out, "image_features", "output", file);
        TensorInfo f = require(out, featuresName, "output", file, OnnxJavaType.FLOAT, -1);
        int rank = f.getShape().length;
        if (rank != 2 && rank != 3) {
            throw new InvalidInputException(file + ": " + featuresName + " has " + rank + " dimensions, expected 2 or 3");
        }
        long h = last(f);
        if (h >= 0 && h != cfg.hiddenSize()) {
            throw new InvalidInputException(file + " emits features of size " + h + " but " + ModelDirectory.CONFIG
                    + " text_config.hidden_size is " + cfg.hiddenSize());
        }
        hidden = cfg.hiddenSize();
    }

    private void checkEmbed(String file, ModelConfig cfg) throws OrtException {
        Map<String, NodeInfo> in = embed.getInputInfo();
        idsName = onlyOrNamed(in, "input_ids", "input", file);
        require(in, idsName, "input", file, OnnxJavaType.INT64, 2);
        if (in.size() != 1) {
            throw new InvalidInputException(file + " has inputs " + new TreeSet<>(in.keySet()) + "; only input_ids can be fed");
        }
        Map<String, NodeInfo> out = embed.getOutputInfo();
        embedsOutName = onlyOrNamed(out, "inputs_embeds", "output", file);
        TensorInfo t = require(out, embedsOutName, "output", file, OnnxJavaType.FLOAT, 3);
        if (last(t) >= 0 && last(t) != cfg.hiddenSize()) {
            throw new InvalidInputException(file + " emits embeddings of size " + last(t) + " but " + ModelDirectory.CONFIG
                    + " text_config.hidden_size is " + cfg.hiddenSize());
        }
    }

    private void checkDecoder(String file, ModelConfig cfg, ModelFamily family) throws OrtException {
        Map<String, NodeInfo> in = decoder.getInputInfo();
        Map<String, NodeInfo> out = decoder.getOutputInfo();
        TensorInfo emb = require(in, "inputs_embeds", "input", file, OnnxJavaType.FLOAT, 3);
        if (last(emb) >= 0 && last(emb) != cfg.hiddenSize()) {
            throw new InvalidInputException(file + ": inputs_embeds has size " + last(emb) + " but " + ModelDirectory.CONFIG
                    + " text_config.hidden_size is " + cfg.hiddenSize());
        }
        maskName = "attention_mask";
        require(in, maskName, "input", file, OnnxJavaType.INT64, 2);
        Map<Integer, Map<String, String>> layers = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : in.entrySet()) {
            String name = e.getKey();
            Matcher m = PAST.matcher(name);
            if (name.equals("inputs_embeds") || name.equals(maskName)) {
                continue;
            } else if (name.equals("position_ids")) {
                TensorInfo p = require(in, name, "input", file, OnnxJavaType.INT64, -1);
                long[] ps = p.getShape();
                boolean fits = family.positionRows() == 1 ? ps.length == 2 : ps.length == 3 && (ps[0] < 0 || ps[0] == family.positionRows());
                if (!fits) {
                    throw new InvalidInputException(file + ": position_ids has shape " + java.util.Arrays.toString(ps) + " but model family "
                            + family.name() + " feeds " + (family.positionRows() == 1 ? "[batch, sequence]"
                            : "[" + family.positionRows() + ", batch, sequence]") + " (is config.json model_type right for these graphs?)");
                }
                positionName = name;
            } else if (m.matches()) {
                layers.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new HashMap<>()).put(m.group(2), name);
            } else if (name.equals("use_cache_branch")) {
                useCacheBranchShape = require(in, name, "input", file, OnnxJavaType.BOOL, -1).getShape();
                useCacheBranchName = name;
            } else if (name.equals("num_logits_to_keep") || name.equals("logits_to_keep")) {
                logitsToKeepShape = require(in, name, "input", file, OnnxJavaType.INT64, -1).getShape();
                logitsToKeepName = name;
            } else {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidInputException(file + " has inputs eagle4j does not know how to feed: " + unknown
                    + " (known: inputs_embeds, attention_mask, position_ids, past_key_values.N.key/value, use_cache_branch, num_logits_to_keep)");
        }
        if (positionName == null && family.positionRows() != 1) {
            throw new InvalidInputException(file + " has no position_ids input, which model family " + family.name()
                    + " needs for its " + family.positionRows() + "-row positions (is config.json model_type right for these graphs?)");
        }
        positionRows = family.positionRows();
        if (layers.isEmpty()) {
            throw new InvalidInputException(file + " has no past_key_values.N.key/value inputs (not a decoder_model_merged export)");
        }
        if (layers.size() != cfg.numLayers() || !layers.containsKey(0) || !layers.containsKey(cfg.numLayers() - 1)) {
            throw new InvalidInputException(ModelDirectory.CONFIG + ": text_config.num_hidden_layers is " + cfg.numLayers() + " but "
                    + file + " has past_key_values for " + layers.size() + " layers");
        }
        for (Map.Entry<Integer, Map<String, String>> e : layers.entrySet()) {
            for (String kind : List.of("key", "value")) {
                String name = e.getValue().get(kind);
                if (name == null) {
                    throw new InvalidInputException(file + " has no input past_key_values." + e.getKey() + "." + kind);
                }
                TensorInfo t = require(in, name, "input", file, null, 4);
                if (t.type != OnnxJavaType.FLOAT && t.type != OnnxJavaType.FLOAT16) {
                    throw new InvalidInputException(file + ": " + name + " is " + t.type + ", expected FLOAT or FLOAT16");
                }
                long[] s = t.getShape();
                if (s[1] >= 0 && s[1] != cfg.numKeyValueHeads()) {
                    throw new InvalidInputException(ModelDirectory.CONFIG + ": text_config.num_key_value_heads is " + cfg.numKeyValueHeads()
                            + " but " + file + " " + name + " has " + s[1] + " heads");
                }
                if (s[3] >= 0 && s[3] != cfg.headDim()) {
                    throw new InvalidInputException(ModelDirectory.CONFIG + ": text_config.head_dim is " + cfg.headDim() + " but " + file
                            + " " + name + " has head size " + s[3]);
                }
                String present = "present." + e.getKey() + "." + kind;
                require(out, present, "output", file, t.type, 4);
                past.add(new Past(name, present, t.type, new long[] {-1, s[1] >= 0 ? s[1] : cfg.numKeyValueHeads(), 0,
                        s[3] >= 0 ? s[3] : cfg.headDim()}));
            }
        }
        TensorInfo logits = require(out, "logits", "output", file, null, 3);
        if (logits.type != OnnxJavaType.FLOAT && logits.type != OnnxJavaType.FLOAT16) {
            throw new InvalidInputException(file + ": logits are " + logits.type + ", expected FLOAT or FLOAT16");
        }
        logitsType = logits.type;
        long v = last(logits);
        if (v >= 0 && v != cfg.vocabSize()) {
            throw new InvalidInputException(ModelDirectory.CONFIG + ": text_config.vocab_size is " + cfg.vocabSize() + " but " + file
                    + " emits logits over " + v + " tokens");
        }
        vocab = cfg.vocabSize();
    }

    /** Runs the embedding once, and the vision encoder on a blank image, to check their sizes. */
    private void probe(String visionFile, String embedFile, ModelFamily family) {
        try {
            float[] e = embed(new long[] {vocab - 1});
            if (e.length != hidden) {
                throw new InvalidInputException(embedFile + " emits embeddings of size " + e.length + " but " + ModelDirectory.CONFIG
                        + " text_config.hidden_size is " + hidden);
            }
        } catch (ScoringException ex) {
            throw new InvalidInputException(embedFile + " cannot embed token id " + (vocab - 1) + " (its table is smaller than "
                    + ModelDirectory.CONFIG + " text_config.vocab_size " + vocab + ")", ex);
        }
        ImageLayout layout = family.imageProcessor().probeLayout();
        RgbImage blank = RgbImage.filled(layout.width(), layout.height(), 0);
        long rows;
        try {
            rows = featureCount(List.of(blank), layout, family.imageProcessor()) / hidden;
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

    private long featureCount(List<RgbImage> images, ImageLayout layout, ImageProcessor processor) {
        try (TensorScope scope = new TensorScope(env)) {
            try (OrtSession.Result r = timed(vision, processor.visionInputs(images, layout, scope), Set.of(featuresName), Map.of())) {
                return ((OnnxTensor) r.get(featuresName).orElseThrow()).getInfo().getNumElements();
            }
        } catch (OrtException e) {
            throw new ScoringException("vision_encoder failed: " + ModelDirectory.firstLine(e.getMessage()), e);
        }
    }

    // ---------------------------------------------------------------- facts

    int hidden() {
        return hidden;
    }

    /** The model's vocabulary size (the logits' last dimension). */
    int vocab() {
        return vocab;
    }

    /** The graph files loaded and their dtype. */
    GraphFiles files() {
        return files;
    }

    /** {@code cpu} or {@code cuda:N}. */
    String device() {
        return device;
    }

    /** Nanoseconds spent inside ONNX Runtime run calls so far, over all threads. */
    long ortNanos() {
        return ortNanos.sum();
    }

    /** Whether {@link #close()} has run. */
    boolean isClosed() {
        lifecycle.readLock().lock();
        try {
            return closed;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    OnnxJavaType logitsType() {
        return logitsType;
    }

    /** Whether the decoder can return only the last rows of logits. */
    boolean canKeepLastLogits() {
        return logitsToKeepName != null;
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
    float[] embed(long[] ids) {
        try (TensorScope scope = new TensorScope(env)) {
            LongBuffer b = TensorScope.directLongs(ids.length);
            b.put(ids);
            OnnxTensor t = scope.longs(b, 1, ids.length);
            try (OrtSession.Result r = timed(embed, Map.of(idsName, t), Set.of(embedsOutName), Map.of())) {
                OnnxTensor out = (OnnxTensor) r.get(embedsOutName).orElseThrow();
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
    float[] features(List<RgbImage> images, ImageLayout layout, ImageProcessor processor, DirectBufferPool pool) {
        for (RgbImage img : images) {
            if (img.width() != layout.width() || img.height() != layout.height()) {
                throw new ScoringException("image " + img.width() + "x" + img.height() + " in a batch for images of " + layout.width() + "x"
                        + layout.height() + " (batches hold images of one size)");
            }
        }
        int step = Math.max(1, processor.imagesPerVisionRun());
        if (images.size() <= step) {
            return featuresOfOneRun(images, layout, processor, pool);
        }
        float[] all = new float[Math.multiplyExact(images.size(), layout.imageTokens() * hidden)];
        for (int from = 0; from < images.size(); from += step) {
            List<RgbImage> part = images.subList(from, Math.min(images.size(), from + step));
            float[] f = featuresOfOneRun(part, layout, processor, pool);
            System.arraycopy(f, 0, all, from * layout.imageTokens() * hidden, f.length);
        }
        return all;
    }

    private float[] featuresOfOneRun(List<RgbImage> images, ImageLayout layout, ImageProcessor processor, DirectBufferPool pool) {
        try (TensorScope scope = new TensorScope(env, pool)) {
            try (OrtSession.Result r = timed(vision, processor.visionInputs(images, layout, scope), Set.of(featuresName), Map.of())) {
                FloatBuffer f = ((OnnxTensor) r.get(featuresName).orElseThrow()).getFloatBuffer();
                long expected = (long) images.size() * layout.imageTokens() * hidden;
                if (f.remaining() != expected) {
                    throw new ScoringException("the vision encoder emitted " + f.remaining() / hidden + " feature rows for " + images.size()
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

    /** Rows of logits per sequence a scoring pass returns: {@code keepLast} when the graph can limit them, else all. */
    int logitsRows(int seqLen, int keepLast) {
        return logitsToKeepName != null ? Math.min(keepLast, seqLen) : seqLen;
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
    Logits logits(FloatBuffer embeds, int batch, int seqLen, int keepLast, ByteBuffer buf, long[][] positions) {
        int rows = logitsRows(seqLen, keepLast);
        try (TensorScope scope = new TensorScope(env)) {
            Map<String, OnnxTensor> in = inputs(scope, embeds, batch, seqLen, 0, null, rows, positions);
            OnnxTensor out = scope.bytes(buf, logitsType, batch, rows, vocab);
            timed(decoder, in, Set.of(), Map.of("logits", out)).close();
            return new Logits(buf, logitsType, rows, vocab, seqLen - rows);
        } catch (OrtException e) {
            throw new ScoringException("decoder_model_merged failed: " + ModelDirectory.firstLine(e.getMessage()), e);
        }
    }

    private Map<String, OnnxTensor> inputs(TensorScope scope, FloatBuffer embeds, int batch, int seqLen, int pastLen,
                                           OrtSession.Result cache, int keep, long[][] positions) throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("inputs_embeds", scope.floats(embeds, batch, seqLen, hidden));
        int total = pastLen + seqLen;
        LongBuffer mask = TensorScope.directLongs((long) batch * total);
        for (int i = 0; i < batch * total; i++) {
            mask.put(i, 1L);
        }
        in.put(maskName, scope.longs(mask, batch, total));
        if (positionName != null) {
            if (positions.length != positionRows || positions[0].length != seqLen) {
                throw new ScoringException("position ids of shape [" + positions.length + ", " + positions[0].length + "] for "
                        + positionRows + " rows of " + seqLen + " tokens");
            }
            LongBuffer pos = TensorScope.directLongs((long) positionRows * batch * seqLen);
            for (int r = 0; r < positionRows; r++) {
                for (int b = 0; b < batch; b++) {
                    pos.put((r * batch + b) * seqLen, positions[r], 0, seqLen);
                }
            }
            in.put(positionName, positionRows == 1 ? scope.longs(pos, batch, seqLen) : scope.longs(pos, positionRows, batch, seqLen));
        }
        for (Past p : past) {
            if (cache == null) {
                long[] shape = p.shape().clone();
                shape[0] = batch;
                in.put(p.input(), scope.empty(p.type(), shape));
            } else {
                in.put(p.input(), (OnnxTensor) cache.get(p.output()).orElseThrow());
            }
        }
        if (useCacheBranchName != null) {
            in.put(useCacheBranchName, scope.scalarBool(cache != null, useCacheBranchShape.length == 0 ? new long[0] : new long[] {1}));
        }
        if (logitsToKeepName != null) {
            in.put(logitsToKeepName, scope.scalarLong(keep, logitsToKeepShape.length == 0 ? new long[0] : new long[] {1}));
        }
        return in;
    }

    /**
     * Greedy decoding state of one sequence: the KV cache the last step returned. Closing it frees the cache.
     */
    final class Cache implements AutoCloseable {
        private OrtSession.Result result;
        private int length;

        /** Tokens the cache covers. */
        int length() {
            return length;
        }

        /**
         * Feeds {@code newTokens} embeddings after the cached ones, at the given positions ({@code [rows][newTokens]}),
         * and returns the id with the largest logit at the last position.
         */
        long step(FloatBuffer embeds, int newTokens, long[][] positions) {
            Set<String> presents = new TreeSet<>();
            for (Past p : past) {
                presents.add(p.output());
            }
            try (TensorScope scope = new TensorScope(env)) {
                Map<String, OnnxTensor> in = inputs(scope, embeds, 1, newTokens, length, result, 1, positions);
                int rows = logitsToKeepName != null ? 1 : newTokens;
                ByteBuffer buf = TensorScope.directBytes(Logits.bytes(logitsType, 1, rows, vocab));
                OnnxTensor out = scope.bytes(buf, logitsType, 1, rows, vocab);
                OrtSession.Result next = timed(decoder, in, presents, Map.of("logits", out));
                if (result != null) {
                    result.close();
                }
                result = next;
                length += newTokens;
                return new Logits(buf, logitsType, rows, vocab, newTokens - rows).argmax(0, newTokens - 1);
            } catch (OrtException e) {
                throw new ScoringException("decoder_model_merged failed while generating: " + ModelDirectory.firstLine(e.getMessage()), e);
            }
        }

        @Override
        public void close() {
            if (result != null) {
                result.close();
                result = null;
            }
        }
    }

    Cache newCache() {
        return new Cache();
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
