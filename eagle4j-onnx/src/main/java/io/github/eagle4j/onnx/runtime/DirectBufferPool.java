package io.github.eagle4j.onnx.runtime;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reuses the large direct buffers of repeated model calls of one scorer (pixels, embeddings, logits), so that a
 * search does not allocate and zero tens of megabytes per call and wait for the garbage collector to free them.
 * Buffers are kept by exact size, at most {@code perSize} of each. Reused buffers are not cleared: callers
 * overwrite them completely. Thread-safe.
 */
public final class DirectBufferPool {
    private final int perSize;
    private final Map<Long, Deque<ByteBuffer>> free = new HashMap<>();

    public DirectBufferPool(int perSize) {
        this.perSize = perSize;
    }

    /** A native-order direct buffer of exactly {@code bytes} bytes, position 0. */
    public ByteBuffer take(long bytes) {
        synchronized (free) {
            Deque<ByteBuffer> q = free.get(bytes);
            if (q != null && !q.isEmpty()) {
                return q.pop().clear();
            }
        }
        return TensorScope.directBytes(bytes);
    }

    /** Returns a buffer once no tensor uses it any more. */
    public void give(ByteBuffer buffer) {
        synchronized (free) {
            Deque<ByteBuffer> q = free.computeIfAbsent((long) buffer.capacity(), k -> new ArrayDeque<>());
            if (q.size() < perSize) {
                q.push(buffer);
            }
        }
    }
}
