package io.github.eagle4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reusable building blocks: escaping, data blocks, tables, charts, label encoding. */
class HtmlTest {
    @Test
    void textAndAttributesAreEscaped() {
        assertThat(Html.text("<img src=x onerror=alert(1)>")).isEqualTo("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(Html.attr("\" onmouseover='x' & y")).isEqualTo("&quot; onmouseover=&#39;x&#39; &amp; y");
        // controls and bidirectional overrides are shown, not obeyed
        assertThat(Html.text("a\u0000b\u0007c\nd\te")).isEqualTo("a\\u0000b\\u0007c\nd\te");
        assertThat(Html.text("cat\u202Etac \u2066x\u2069")).isEqualTo("cat\\u202etac \\u2066x\\u2069");
        assertThat(Html.text(null)).isEmpty();
        assertThat(Html.text("ünïcødé ▁Ġ 猫")).isEqualTo("ünïcødé ▁Ġ 猫");
    }

    @Test
    void dataBlocksCannotBeClosedFromInside() throws Exception {
        ObjectNode d = new ObjectMapper().createObjectNode();
        d.put("s", "</script><script>alert(1)</script><!-- & \u2028");
        String block = Html.jsonScript("d", d);
        String inner = block.substring(block.indexOf('>') + 1, block.lastIndexOf("</script>"));
        assertThat(inner).doesNotContain("<").doesNotContain(">").doesNotContain("&").doesNotContain("\u2028");
        JsonNode back = new ObjectMapper().readTree(inner);
        assertThat(back.get("s").asText()).isEqualTo(d.get("s").asText());

        // a bidirectional override inside a string reaches the page's scripts as visible text, not as itself
        d.put("t", "cat\u202Etac");
        String withOverride = Html.json(d);
        assertThat(withOverride).doesNotContain("\u202E");
        assertThat(new ObjectMapper().readTree(withOverride).get("t").asText()).isEqualTo("cat\\u202etac");
    }

    @Test
    void pagesRefuseScriptsThatCouldCloseTheirElement() {
        assertThatThrownBy(() -> new HtmlPage("t").script("var s = '</script>';"))
                .isInstanceOf(IllegalArgumentException.class);
        String page = new HtmlPage("<title>").add("<p>x</p>").render();
        assertThat(page).contains("<title>&lt;title&gt;</title>").contains("script-src &#39;none&#39;");
    }

    @Test
    void tablesEscapeCellsButNotMarkupCells() {
        String t = new HtmlTable("t").header("a", "<b>").numeric(1).row("<i>", "1").rowMarkup("<i>ok</i>", "2").render();
        assertThat(t).contains("<th scope=\"col\">&lt;b&gt;</th>".replace("<th scope", "<th class=\"num\" scope"))
                .contains("<td>&lt;i&gt;</td>").contains("<td><i>ok</i></td>").contains("<td class=\"num\">1</td>");
    }

    @Test
    void chartsEscapeLabelsAndMapDataToThePlot() {
        Chart c = Chart.unit("<t>", "x<", "y>", List.of(
                Chart.Series.main("<s>", new double[]{0, 0.5, 1}, new double[]{0, 1, 0.5}, 0xff0000)));
        String svg = SvgChart.render(c, "c\"", true);
        assertThat(svg).doesNotContain("<t>").doesNotContain("<s>").contains("&lt;t&gt;").contains("id=\"c&quot;\"")
                .contains("id=\"c&quot;-marker\"");
        assertThat(c.px(0)).isEqualTo(Chart.Layout.plotLeft());
        assertThat(c.px(1)).isEqualTo(Chart.Layout.plotRight());
        assertThat(c.py(1)).isEqualTo(Chart.Layout.plotTop());
        assertThat(c.py(Double.NaN)).isEqualTo(Chart.Layout.plotBottom());
        assertThat(ChartImage.render(c, 1).getWidth()).isEqualTo(480);
    }

    @Test
    void labelsRoundTripThroughBothEncodings() {
        int[] blocky = new int[200 * 100];
        for (int i = 0; i < blocky.length; i++) {
            blocky[i] = (i % 200) / 50 + 4 * ((i / 200) / 50);
        }
        blocky[7] = -1;
        ExplanationReport.LabelCodec.Encoded rle = ExplanationReport.LabelCodec.encode(blocky, 8);
        assertThat(rle.encoding()).isEqualTo("rle16");
        int[] expected = blocky.clone();
        expected[7] = 0xFFFF;
        assertThat(decode(rle, blocky.length)).isEqualTo(expected);

        int[] noisy = new int[1000];
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = (i * 7919) % 13;
        }
        ExplanationReport.LabelCodec.Encoded raw = ExplanationReport.LabelCodec.encode(noisy, 13);
        assertThat(raw.encoding()).isEqualTo("raw16");
        assertThat(decode(raw, noisy.length)).isEqualTo(noisy);

        int[] longRun = new int[70000];
        ExplanationReport.LabelCodec.Encoded split = ExplanationReport.LabelCodec.encode(longRun, 1);
        assertThat(decode(split, longRun.length)).isEqualTo(longRun);
    }

    /** The page script's decoder, in Java. */
    private static int[] decode(ExplanationReport.LabelCodec.Encoded e, int size) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(e.base64())).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[size];
        if (e.encoding().equals("rle16")) {
            int p = 0;
            while (b.remaining() >= 4) {
                int id = b.getShort() & 0xFFFF;
                int len = b.getShort() & 0xFFFF;
                for (int i = 0; i < len; i++) {
                    out[p++] = id;
                }
            }
            assertThat(p).isEqualTo(size);
        } else {
            for (int i = 0; i < size; i++) {
                out[i] = b.getShort() & 0xFFFF;
            }
        }
        return out;
    }

    @Test
    void relianceColoursFollowMatplotlibBwr() {
        assertThat(ExplanationReport.bwr(0)).isEqualTo(0x0000ff);
        assertThat(ExplanationReport.bwr(0.5)).isEqualTo(0xffffff);
        assertThat(ExplanationReport.bwr(1)).isEqualTo(0xff0000);
        assertThat(ExplanationReport.displayToken("Ġcat")).isEqualTo(" cat");
        assertThat(ExplanationReport.displayToken("▁dog")).isEqualTo(" dog");
    }
}
