package io.github.eagle4j.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.onnx.hub.ModelDirectory;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Greedy generation's state for one sequence: the KV cache the last decoder step returned, fed back on the next
 * step. Made by {@link ModelGraphs#newCache()}; closing it frees the cache. Not thread-safe (one sequence).
 */
public final class DecoderCache implements AutoCloseable {
    private final ModelGraphs graphs;
    private OrtSession.Result result;
    private int length;

    DecoderCache(ModelGraphs graphs) {
        this.graphs = graphs;
    }

    /** Tokens the cache covers. */
    public int length() {
        return length;
    }

    /**
     * Feeds {@code newTokens} embeddings after the cached ones, at the given positions ({@code [rows][newTokens]}),
     * and returns the id with the largest logit at the last position.
     */
    public long step(FloatBuffer embeds, int newTokens, long[][] positions) {
        GraphSignature signature = graphs.signature();
        Set<String> presents = new TreeSet<>(signature.presentNames());
        try (TensorScope scope = new TensorScope(graphs.env())) {
            Map<String, OnnxTensor> in = signature.decoderInputs(scope, embeds, 1, newTokens, length, result, 1, positions);
            int rows = signature.canKeepLastLogits() ? 1 : newTokens;
            ByteBuffer buf = TensorScope.directBytes(Logits.bytes(signature.logitsType(), 1, rows, signature.vocab()));
            OnnxTensor out = scope.bytes(buf, signature.logitsType(), 1, rows, signature.vocab());
            OrtSession.Result next = graphs.runDecoder(in, presents, Map.of("logits", out));
            if (result != null) {
                result.close();
            }
            result = next;
            length += newTokens;
            return new Logits(buf, signature.logitsType(), rows, signature.vocab(), newTokens - rows).argmax(0, newTokens - 1);
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
