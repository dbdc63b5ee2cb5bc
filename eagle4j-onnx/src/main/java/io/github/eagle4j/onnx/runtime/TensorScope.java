package io.github.eagle4j.onnx.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns the native tensors made for one model call and closes them all at the end of a try-with-resources
 * block. Tensors are backed by direct, native-order buffers, which ONNX Runtime wraps without copying.
 */
public final class TensorScope implements AutoCloseable {
    private final OrtEnvironment env;
    private final DirectBufferPool pool;
    private final List<OnnxTensor> tensors = new ArrayList<>();
    private final List<ByteBuffer> borrowed = new ArrayList<>();

    public TensorScope(OrtEnvironment env) {
        this(env, null);
    }

    /** A scope whose {@link #floatBuffer} and {@link #byteBuffer} borrow from {@code pool} (may be null) until it closes. */
    public TensorScope(OrtEnvironment env, DirectBufferPool pool) {
        this.env = env;
        this.pool = pool;
    }

    /**
     * A direct buffer of {@code bytes} bytes for a tensor of this scope, from the scope's pool when it has one (then
     * not cleared: fill it completely) and given back when the scope closes.
     */
    public ByteBuffer byteBuffer(long bytes) {
        if (pool == null) {
            return directBytes(bytes);
        }
        ByteBuffer b = pool.take(bytes);
        borrowed.add(b);
        return b;
    }

    /** A direct float buffer for a tensor of this scope; see {@link #byteBuffer}. */
    public FloatBuffer floatBuffer(long count) {
        return byteBuffer(count * Float.BYTES).asFloatBuffer();
    }

    public static FloatBuffer directFloats(long count) {
        return directBytes(count * Float.BYTES).asFloatBuffer();
    }

    public static LongBuffer directLongs(long count) {
        return directBytes(count * Long.BYTES).asLongBuffer();
    }

    static ByteBuffer directBytes(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a tensor of " + bytes + " bytes exceeds Java's 2 GiB buffer limit");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }

    public OnnxTensor floats(FloatBuffer data, long... shape) throws OrtException {
        return add(OnnxTensor.createTensor(env, data.rewind(), shape));
    }

    public OnnxTensor longs(LongBuffer data, long... shape) throws OrtException {
        return add(OnnxTensor.createTensor(env, data.rewind(), shape));
    }

    /** A tensor over raw bytes of the given element type (FLOAT16, BOOL, …). */
    public OnnxTensor bytes(ByteBuffer data, OnnxJavaType type, long... shape) throws OrtException {
        return add(OnnxTensor.createTensor(env, data.rewind(), shape, type));
    }

    /** A tensor with no elements (e.g. an empty KV cache {@code [B, heads, 0, dim]}). */
    OnnxTensor empty(OnnxJavaType type, long... shape) throws OrtException {
        return switch (type) {
            case FLOAT -> floats(directFloats(0), shape);
            case FLOAT16, BFLOAT16 -> bytes(directBytes(0), type, shape);
            default -> throw new IllegalArgumentException("no empty tensors of " + type);
        };
    }

    /** A one-element tensor of shape {@code shape} ({@code []} for a scalar). */
    OnnxTensor scalarLong(long value, long[] shape) throws OrtException {
        LongBuffer b = directLongs(1);
        b.put(0, value);
        return longs(b, shape);
    }

    /** A one-element boolean tensor of shape {@code shape} ({@code []} for a scalar). */
    OnnxTensor scalarBool(boolean value, long[] shape) throws OrtException {
        ByteBuffer b = directBytes(1);
        b.put(0, (byte) (value ? 1 : 0));
        return bytes(b, OnnxJavaType.BOOL, shape);
    }

    OnnxTensor add(OnnxTensor t) {
        tensors.add(t);
        return t;
    }

    @Override
    public void close() {
        for (OnnxTensor t : tensors) {
            t.close();
        }
        tensors.clear();
        if (pool != null) {
            borrowed.forEach(pool::give);
        }
        borrowed.clear();
    }
}
