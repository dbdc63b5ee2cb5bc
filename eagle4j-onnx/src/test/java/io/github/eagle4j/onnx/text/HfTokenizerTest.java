package io.github.eagle4j.onnx.text;

import io.github.eagle4j.onnx.Goldens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HfTokenizerTest {
    private static HfTokenizer tok;

    @BeforeAll
    static void load() {
        tok = HfTokenizer.load(Goldens.main().modelDir.resolve("tokenizer.json"));
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    @Test
    void specialTokensInTheTextAreMatchedAndNothingIsAdded() {
        HfTokenizer.Encoded e = tok.encode("<s>USER: <image><image>\nIs there a red circle? ASSISTANT:");
        assertThat(e.ids()).containsExactly(1, 5, 6, 4, 4, 12, 13, 14, 16, 20, 15, 7, 6);
        assertThat(e.tokens()).startsWith("<s>", "USER", ":", "<image>");
    }

    @Test
    void vocabularyAndDecoding() {
        assertThat(tok.size()).isEqualTo(28);
        assertThat(tok.token(4)).isEqualTo("<image>");
        assertThat(tok.token(28)).isNull();
        assertThat(tok.id("yes")).hasValue(26);
        assertThat(tok.specialIds()).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
        assertThat(tok.decode(new long[] {14, 16, 20, 2}, true)).isEqualTo("a red circle");
    }

    @Test
    void djlUsesItsBundledCpuLibrary() {
        if (System.getenv("RUST_FLAVOR") == null && System.getenv("RUST_LIBRARY_PATH") == null) {
            assertThat(System.getProperty("RUST_FLAVOR")).isEqualTo("cpu");
        }
    }
}
