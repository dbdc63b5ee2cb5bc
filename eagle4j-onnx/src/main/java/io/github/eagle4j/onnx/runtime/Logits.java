package io.github.eagle4j.onnx.runtime;

import ai.onnxruntime.OnnxJavaType;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Rows of a {@code logits [B, rows, vocab]} output held in a direct buffer that ONNX Runtime wrote into; only the
 * rows asked for are read. Log-probabilities are computed in double precision with a max-shifted log-sum-exp
 * over the full vocabulary (temperature 1).
 */
public final class Logits {
    private final FloatBuffer f32;
    private final ShortBuffer f16;
    private final int rows;
    private final int vocab;
    private final int firstRow;

    /**
     * @param data     the output buffer, native order
     * @param type     FLOAT or FLOAT16
     * @param rows     rows per sequence in the buffer
     * @param vocab    vocabulary size (last dimension)
     * @param firstRow absolute sequence position of row 0 (non-zero when the graph kept only the last rows)
     */
    Logits(ByteBuffer data, OnnxJavaType type, int rows, int vocab, int firstRow) {
        this.f32 = type == OnnxJavaType.FLOAT ? data.asFloatBuffer() : null;
        this.f16 = type == OnnxJavaType.FLOAT16 ? data.asShortBuffer() : null;
        if (f32 == null && f16 == null) {
            throw new IllegalArgumentException("logits of type " + type + " are not supported");
        }
        this.rows = rows;
        this.vocab = vocab;
        this.firstRow = firstRow;
    }

    /** Bytes a buffer for {@code batch × rows × vocab} logits of this type needs. */
    public static long bytes(OnnxJavaType type, long batch, long rows, long vocab) {
        return batch * rows * vocab * (type == OnnxJavaType.FLOAT ? 4L : 2L);
    }

    private float at(long index) {
        return f32 != null ? f32.get((int) index) : Half.toFloat(f16.get((int) index));
    }

    private long base(int sequence, int position) {
        int r = position - firstRow;
        if (r < 0 || r >= rows) {
            throw new IndexOutOfBoundsException("logits row " + position + " was not kept (rows " + firstRow + ".."
                    + (firstRow + rows - 1) + ")");
        }
        return ((long) sequence * rows + r) * vocab;
    }

    /** {@code log softmax(logits[sequence, position])[id]} in double precision. */
    public double logProb(int sequence, int position, long id) {
        long base = base(sequence, position);
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            max = Math.max(max, at(base + v));
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            sum += Math.exp(at(base + v) - max);
        }
        return at(base + id) - max - Math.log(sum);
    }

    /**
     * {@code log softmax(logits[sequence, position])} over the whole vocabulary, each entry computed exactly as
     * {@link #logProb} computes it.
     */
    public double[] logSoftmax(int sequence, int position) {
        long base = base(sequence, position);
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            max = Math.max(max, at(base + v));
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            sum += Math.exp(at(base + v) - max);
        }
        double logSum = Math.log(sum);
        double[] out = new double[vocab];
        for (int v = 0; v < vocab; v++) {
            out[v] = at(base + v) - max - logSum;
        }
        return out;
    }

    /** The id with the largest logit at a position; ties go to the lowest id (as {@code torch.argmax}). */
    long argmax(int sequence, int position) {
        long base = base(sequence, position);
        int best = 0;
        float bestValue = at(base);
        for (int v = 1; v < vocab; v++) {
            float x = at(base + v);
            if (x > bestValue) {
                bestValue = x;
                best = v;
            }
        }
        return best;
    }

    /** IEEE half precision to float. */
    static final class Half {
        private Half() {
        }

        static float toFloat(short h) {
            int bits = h & 0xFFFF;
            int sign = (bits & 0x8000) << 16;
            int exp = (bits >>> 10) & 0x1F;
            int mant = bits & 0x3FF;
            if (exp == 0x1F) {
                return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
            }
            if (exp == 0) {
                if (mant == 0) {
                    return Float.intBitsToFloat(sign);
                }
                float v = mant * 0x1p-24f;
                return sign != 0 ? -v : v;
            }
            return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }
    }
}
