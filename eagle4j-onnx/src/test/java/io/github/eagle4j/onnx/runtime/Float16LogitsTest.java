package io.github.eagle4j.onnx.runtime;

import ai.onnxruntime.OnnxJavaType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Float16 logits (as graphs with float16 outputs emit them) are widened and turned into probabilities in double. */
class Float16LogitsTest {
    @Test
    void halfToFloat() {
        assertThat(Logits.Half.toFloat((short) 0x3C00)).isEqualTo(1.0f);
        assertThat(Logits.Half.toFloat((short) 0xC000)).isEqualTo(-2.0f);
        assertThat(Logits.Half.toFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(Logits.Half.toFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(Logits.Half.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Logits.Half.toFloat((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Logits.Half.toFloat((short) 0x8000)).isEqualTo(-0.0f);
    }

    @Test
    void logProbabilitiesInDouble() {
        short[] row = {0x3C00, 0x4000, 0x3800, (short) 0xBC00}; // 1, 2, 0.5, -1
        double[] x = {1, 2, 0.5, -1};
        ByteBuffer b = ByteBuffer.allocateDirect(row.length * 2).order(ByteOrder.nativeOrder());
        b.asShortBuffer().put(row);
        Logits l = new Logits(b, OnnxJavaType.FLOAT16, 1, row.length, 0);
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - 2);
        }
        for (int i = 0; i < x.length; i++) {
            assertThat(l.logProb(0, 0, i)).isCloseTo(x[i] - 2 - Math.log(sum), within(1e-15));
        }
        assertThat(l.argmax(0, 0)).isEqualTo(1);
        assertThat(Logits.bytes(OnnxJavaType.FLOAT16, 2, 3, 4)).isEqualTo(48);
    }
}
