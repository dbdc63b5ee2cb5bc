package io.github.eagle4j.onnx.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import io.github.eagle4j.InvalidInputException;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks of a graph's declared inputs and outputs (names, element types, ranks) before anything runs, each failing
 * with one line naming the graph file and the node; {@code contract} says what the caller's family feeds.
 */
public final class GraphNodes {
    private GraphNodes() {
    }

    /**
     * The tensor named {@code name} among {@code nodes}.
     *
     * @param type     required element type, or null for any
     * @param rank     required number of dimensions, or -1 for any
     * @param contract appended to the message (e.g. "; a Qwen-VL vision encoder takes ..."), or ""
     */
    public static TensorInfo require(Map<String, NodeInfo> nodes, String name, String kind, String file, OnnxJavaType type, int rank,
                              String contract) {
        NodeInfo n = nodes.get(name);
        if (n == null) {
            throw new InvalidInputException(file + " has no " + kind + " named " + name + " (it has " + new TreeSet<>(nodes.keySet()) + ")"
                    + contract);
        }
        if (!(n.getInfo() instanceof TensorInfo t)) {
            throw new InvalidInputException(file + ": " + kind + " " + name + " is not a tensor" + contract);
        }
        if (type != null && t.type != type) {
            throw new InvalidInputException(file + ": " + kind + " " + name + " is " + t.type + ", expected " + type + contract);
        }
        if (rank >= 0 && t.getShape().length != rank) {
            throw new InvalidInputException(file + ": " + kind + " " + name + " has " + t.getShape().length + " dimensions, expected "
                    + rank + contract);
        }
        return t;
    }

    /** {@link #require} without a contract. */
    public static TensorInfo require(Map<String, NodeInfo> nodes, String name, String kind, String file, OnnxJavaType type, int rank) {
        return require(nodes, name, kind, file, type, rank, "");
    }

    /** Fails when the graph has inputs other than {@code known}, which nothing would feed. */
    public static void requireOnly(Map<String, NodeInfo> inputs, Set<String> known, String file, String contract) {
        Set<String> others = new TreeSet<>(inputs.keySet());
        others.removeAll(known);
        if (!others.isEmpty()) {
            throw new InvalidInputException(file + " has inputs " + new TreeSet<>(inputs.keySet()) + ", of which eagle4j cannot feed "
                    + others + contract);
        }
    }
}
