package io.github.eagle4j.onnx.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.onnx.family.ModelConfig;
import io.github.eagle4j.onnx.family.ModelFamily;
import io.github.eagle4j.onnx.hub.ModelDirectory;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the three graphs of an export take and give, read from their inputs and outputs and checked against
 * {@code config.json} and the {@link ModelFamily} before anything runs, so that a mismatch is a one-line error
 * naming the file instead of a native failure: the names of the image-feature, embedding and logits tensors, the
 * KV-cache inputs, the optional position, branch and logits-to-keep inputs, the hidden and vocabulary sizes and
 * the logits' element type. Knows how to feed the decoder ({@link #decoderInputs}). Immutable once read.
 */
final class GraphSignature {
    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");

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

    private GraphSignature() {
    }

    /**
     * Reads and checks the graphs' signatures.
     *
     * @throws InvalidInputException naming the file or config field that does not fit
     */
    static GraphSignature read(OrtSession vision, OrtSession embed, OrtSession decoder, GraphFiles files, ModelConfig cfg,
                               ModelFamily family) throws OrtException {
        GraphSignature s = new GraphSignature();
        s.checkVision(vision, files.vision(), cfg, family);
        s.checkEmbed(embed, files.embed(), cfg);
        s.checkDecoder(decoder, files.decoder(), cfg, family);
        return s;
    }

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

    private void checkVision(OrtSession vision, String file, ModelConfig cfg, ModelFamily family) throws OrtException {
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

    private void checkEmbed(OrtSession embed, String file, ModelConfig cfg) throws OrtException {
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

    private void checkDecoder(OrtSession decoder, String file, ModelConfig cfg, ModelFamily family) throws OrtException {
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

    /** Columns of the hidden state (image features and token embeddings). */
    int hidden() {
        return hidden;
    }

    /** The vocabulary size (the logits' last dimension). */
    int vocab() {
        return vocab;
    }

    /** The logits' element type (FLOAT or FLOAT16). */
    OnnxJavaType logitsType() {
        return logitsType;
    }

    /** Whether the decoder can return only the last rows of logits. */
    boolean canKeepLastLogits() {
        return logitsToKeepName != null;
    }

    /** The vision encoder's output. */
    String featuresName() {
        return featuresName;
    }

    /** The embedding graph's input ids and output embeddings. */
    String idsName() {
        return idsName;
    }

    String embedsOutName() {
        return embedsOutName;
    }

    /** The {@code present.*} outputs, which the next generation step feeds back as the cache. */
    List<String> presentNames() {
        List<String> out = new ArrayList<>();
        for (Past p : past) {
            out.add(p.output());
        }
        return out;
    }

    /**
     * The decoder's inputs for {@code batch} sequences of {@code seqLen} new tokens after {@code pastLen} cached ones:
     * the embeddings, an all-ones attention mask, the position ids when the graph takes them, the KV cache (empty,
     * or the {@code present.*} outputs of {@code cache}) and the optional branch and logits-to-keep scalars.
     */
    Map<String, OnnxTensor> decoderInputs(TensorScope scope, FloatBuffer embeds, int batch, int seqLen, int pastLen,
                                           OrtSession.Result cache, int keep, long[][] positions) throws OrtException {
        return decoderInputs(scope, embeds, batch, seqLen, pastLen, cache, keep, positions, null);
    }

    /**
     * As {@link #decoderInputs(TensorScope, FloatBuffer, int, int, int, OrtSession.Result, int, long[][])}, with the
     * attention mask given: {@code [batch × (pastLen + seqLen)]} row-major 0/1 values, or {@code null} for all ones
     * (prompt text removed with {@code --text-mask drop} is a 0 there; the position ids stay as given).
     */
    Map<String, OnnxTensor> decoderInputs(TensorScope scope, FloatBuffer embeds, int batch, int seqLen, int pastLen,
                                           OrtSession.Result cache, int keep, long[][] positions, long[] attentionMask)
            throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("inputs_embeds", scope.floats(embeds, batch, seqLen, hidden));
        int total = pastLen + seqLen;
        LongBuffer mask = TensorScope.directLongs((long) batch * total);
        if (attentionMask != null) {
            if (attentionMask.length != batch * total) {
                throw new ScoringException("an attention mask of " + attentionMask.length + " values for " + batch + " x " + total + " positions");
            }
            mask.put(0, attentionMask);
        } else {
            for (int i = 0; i < batch * total; i++) {
                mask.put(i, 1L);
            }
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
}
