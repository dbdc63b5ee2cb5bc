package io.github.eagle4j;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VisibleTextTest {
    @Test
    void controlsAndBidiOverridesBecomeVisibleEscapes() {
        assertThat(VisibleText.of("a\u001B[31mred\u0000")).isEqualTo("a\\u001b[31mred\\u0000");
        assertThat(VisibleText.of("cat\u202Etac")).isEqualTo("cat\\u202etac");
        assertThat(VisibleText.of("\u2066x\u2069 \u200F \u0085 \u007F")).isEqualTo("\\u2066x\\u2069 \\u200f \\u0085 \\u007f");
        assertThat(VisibleText.of("line\nbreak\ttab")).isEqualTo("line\\u000abreak\\u0009tab");
        assertThat(VisibleText.keepingLines("line\r\nbreak\ttab\u001B")).isEqualTo("line\r\nbreak\ttab\\u001b");
    }

    @Test
    void ordinaryTextIsReturnedAsIs() {
        String s = "un chat noir, 黒い猫, قطة سوداء, émoji 🐈";
        assertThat(VisibleText.of(s)).isSameAs(s);
        assertThat(VisibleText.of(null)).isNull();
    }
}
