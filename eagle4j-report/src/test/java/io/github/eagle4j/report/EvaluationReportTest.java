package io.github.eagle4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The run's report.html: the pointing-game cell of an item reads what its result.json says, null meaning "not applicable". */
class EvaluationReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String pointingCell(String pointingGame) throws Exception {
        JsonNode summary = JSON.readTree("{\"manifest\":{\"file\":\"m.jsonl\",\"items\":1},\"evaluated\":1,"
                + "\"complete\":true,\"methods\":{\"eagle\":{\"items\":1}}}");
        JsonNode result = JSON.readTree("{\"answer\":\"a red square\",\"targets\":[{\"token\":\"red\"}],"
                + "\"methods\":{\"eagle\":{\"insertionAuc\":0.9,\"deletionAuc\":0.1,\"pointingGame\":" + pointingGame + "}}}");
        String html = EvaluationReport.render(summary, List.of(new EvaluationReport.Item("it", result, null)));
        String items = html.substring(html.indexOf("id=\"items\""));
        String row = items.substring(items.indexOf("<a href=\"items/it/report.html\""));
        return row.substring(0, row.indexOf("</tr>"));
    }

    @Test
    void anItemWithABoxAndNoMaskShowsTheBoxResult() throws Exception {
        assertThat(pointingCell("{\"box\":true,\"mask\":null}")).contains("class=\"hit\"").doesNotContain("class=\"miss\"");
        assertThat(pointingCell("{\"box\":false,\"mask\":null}")).contains("class=\"miss\"");
    }

    @Test
    void theMaskDecidesWhenBothAreThere() throws Exception {
        assertThat(pointingCell("{\"box\":false,\"mask\":true}")).contains("class=\"hit\"");
        assertThat(pointingCell("{\"box\":true,\"mask\":false}")).contains("class=\"miss\"");
    }

    @Test
    void writersCreateTheirFolder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path item = dir.resolve("new/item");
        ReportFixtures.write(item);
        assertThat(item.resolve(ExplanationWriter.JSON)).exists();
        assertThat(item.resolve(ExplanationWriter.REPORT)).exists();
        java.nio.file.Path run = dir.resolve("new/run");
        EvaluationReport.write(JSON.readTree("{\"manifest\":{\"file\":\"m.jsonl\"},\"methods\":{}}"), List.of(), run);
        assertThat(run.resolve("report.html")).exists();
    }

    @Test
    void anItemWithoutGroundTruthShowsNoPointingResult() throws Exception {
        assertThat(pointingCell("{\"box\":null,\"mask\":null}")).doesNotContain("class=\"hit\"", "class=\"miss\"")
                .contains("–");
        assertThat(pointingCell("{}")).doesNotContain("class=\"hit\"", "class=\"miss\"");
    }
}
