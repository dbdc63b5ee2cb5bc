package io.github.eagle4j.report;

import io.github.eagle4j.metrics.RelianceLabel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.metrics.TokenReliance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The explanation folder's views: files, self-containment, escaping, regeneration from JSON, errors. */
class ExplanationReportTest {
    static final List<String> VIEWS = List.of(ExplanationWriter.REPORT, ExplanationWriter.OVERLAY,
            ExplanationWriter.ATTRIBUTION, ExplanationWriter.CURVES);

    @TempDir
    static Path shared;
    static Path folder;
    static Explanation explanation;
    static String html;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeOnce() throws IOException {
        folder = Files.createDirectory(shared.resolve("explanation"));
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY); // decimal commas must not leak into JSON, HTML or SVG
        try {
            explanation = ReportFixtures.write(folder);
        } finally {
            Locale.setDefault(saved);
        }
        html = Files.readString(folder.resolve(ExplanationWriter.REPORT));
    }

    private Path copyOfFolder() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void writesTheImageTheViewsAndTheImageField() throws IOException {
        for (String name : List.of("explanation.json", "image.png", "regions.png", "attribution.png", "overlay.png",
                "curves.png", "report.html")) {
            assertThat(folder.resolve(name)).as(name).isNotEmptyFile();
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary files left")
                    .noneMatch(n -> n.startsWith("."));
        }
        assertThat(ImageFiles.read(folder.resolve("image.png"))).isEqualTo(ReportFixtures.scene());
        JsonNode json = new ObjectMapper().readTree(folder.resolve("explanation.json").toFile());
        assertThat(json.get("image").asText()).isEqualTo("image.png");
        for (String field : List.of("prompt", "answer", "answerTokens", "targets", "regionCount", "order",
                "insertionCurve", "deletionCurve", "areaCurve", "insertionTokenCurves", "deletionTokenCurves",
                "fullImageProbs", "blankImageProbs", "insertionAuc", "deletionAuc", "highestConfidence", "regionScores",
                "search", "lambda1", "lambda2", "fill", "forwardPasses", "elapsedMs", "tokenReliance", "exactness",
                "approximate", "provenance", "pointingGame")) {
            assertThat(json.has(field)).as(field).isTrue();
        }
        assertThat(json.get("insertionAuc").asDouble()).isEqualTo(explanation.metrics().insertionAuc());
        assertThat(ImageFiles.read(folder.resolve("curves.png")).width()).isEqualTo(960);
    }

    @Test
    void readRebuildsEverythingTheViewsShow() {
        ExplanationView v = ExplanationJson.read(folder.resolve(ExplanationWriter.JSON));
        Explanation e = explanation;
        assertThat(v.prompt()).isEqualTo(ReportFixtures.HOSTILE_PROMPT);
        assertThat(v.answer()).isEqualTo(ReportFixtures.HOSTILE_ANSWER);
        assertThat(v.answerTokens()).isEqualTo(e.task().answerTokens());
        assertThat(v.targets()).isEqualTo(e.targets());
        assertThat(v.order()).isEqualTo(e.curves().order());
        assertThat(v.insertionCurve()).isEqualTo(e.curves().insertionCurve());
        assertThat(v.deletionCurve()).isEqualTo(e.curves().deletionCurve());
        assertThat(v.areaCurve()).isEqualTo(e.curves().areaCurve());
        assertThat(v.insertionTokenCurves()).isDeepEqualTo(e.curves().insertionTokenCurves());
        assertThat(v.fullImageProbs()).isEqualTo(e.metrics().fullImageProbs());
        assertThat(v.blankImageProbs()).isEqualTo(e.metrics().blankImageProbs());
        assertThat(v.regionScores()).isEqualTo(e.regionScores());
        assertThat(v.tokenReliance()).isEqualTo(e.metrics().tokenReliance());
        assertThat(v.sensitive().targets()).isEqualTo(e.metrics().sensitive().targets());
        assertThat(v.sensitive().insertionAuc()).isEqualTo(e.metrics().sensitive().insertionAuc());
        assertThat(v.insertionAuc()).isEqualTo(e.metrics().insertionAuc());
        assertThat(v.deletionAuc()).isEqualTo(e.metrics().deletionAuc());
        assertThat(v.highestConfidence()).isEqualTo(e.metrics().highestConfidence());
        assertThat(v.forwardPasses()).isEqualTo(e.cost().forwardPasses());
        assertThat(v.scorerCalls()).isEqualTo(e.cost().scorerCalls());
        assertThat(v.search()).isEqualTo("full");
        assertThat(v.fill()).isEqualTo("black");
        assertThat(v.pointingGame()).containsEntry("box", true);
        assertThat(v.provenance().get("model").asText()).isEqualTo(ReportFixtures.HOSTILE_MODEL);
        assertThat(v.regions()).isEqualTo(e.regions());
        assertThat(v.image()).isEqualTo(ReportFixtures.scene());
    }

    @Test
    void regenerateWritesTheSameViewsFromTheJsonAlone() throws IOException {
        Path copy = copyOfFolder();
        List<byte[]> before = new ArrayList<>();
        for (String name : VIEWS) {
            before.add(Files.readAllBytes(copy.resolve(name)));
            Files.delete(copy.resolve(name));
        }
        ExplanationWriter.regenerate(copy);
        for (int i = 0; i < VIEWS.size(); i++) {
            assertThat(Files.readAllBytes(copy.resolve(VIEWS.get(i)))).as(VIEWS.get(i)).isEqualTo(before.get(i));
        }
    }

    @Test
    void theReportIsOneSelfContainedFile() {
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).doesNotContainPattern("(?i)https?:").doesNotContain("//cdn").doesNotContain("<link")
                .doesNotContain("@import").doesNotContain("url(");
        Matcher src = Pattern.compile("(?i)\\b(?:src|href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
        int sources = 0;
        while (src.find()) {
            assertThat(src.group(1)).as("every src/href is embedded").startsWith("data:image/png;base64,");
            sources++;
        }
        assertThat(sources).isEqualTo(1);
        assertThat(html).contains("<canvas id=\"overlay\"", "<input type=\"range\" id=\"step\"",
                "<svg class=\"chart\" id=\"chart-insertion\"", "<svg class=\"chart\" id=\"chart-deletion\"",
                "id=\"tokens\"", "<table class=\"table kv\" id=\"metrics\"", "<table class=\"table kv\" id=\"provenance\"");
    }

    @Test
    void thePolicyAllowsNoNetworkAndOnlyThePagesOwnScriptByHash() throws Exception {
        Matcher csp = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]+)\">").matcher(html);
        assertThat(csp.find()).isTrue();
        String policy = csp.group(1).replace("&#39;", "'");
        assertThat(policy).startsWith("default-src 'none'; img-src data:;").doesNotContain("unsafe-eval")
                .doesNotContain("script-src 'unsafe-inline'");
        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(script.find()).isTrue();
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(script.group(1).getBytes(StandardCharsets.UTF_8)));
        assertThat(policy).contains("script-src 'sha256-" + hash + "'");
        assertThat(script.find()).as("one executable script").isFalse();
    }

    @Test
    void everyModelAndUserStringIsEscaped() {
        assertThat(html).doesNotContain(ReportFixtures.HOSTILE_PROMPT).doesNotContain("<b>red")
                .doesNotContain("<svg onload").doesNotContain("<script>alert");
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("&lt;b&gt;red&lt;/b&gt;")
                .contains("&quot;&gt;&lt;svg onload=alert(2)&gt;")
                .contains("&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt; &amp; &quot;more&quot;");
        // exactly the page's own elements: the data block, the script; no element built from model text
        assertThat(Pattern.compile("<script").matcher(html).results().count()).isEqualTo(2);
        assertThat(Pattern.compile("<img").matcher(html).results().count()).isEqualTo(1);
        Matcher data = Pattern.compile("<script type=\"application/json\" id=\"eagle-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(html);
        assertThat(data.find()).isTrue();
        assertThat(data.group(1)).doesNotContain("<").doesNotContain(">");
    }

    @Test
    void numbersUseDotsWhateverTheLocale() {
        // written under Locale.GERMANY in writeOnce
        assertThat(html).contains("insertion AUC <b>" + Html.num(explanation.metrics().insertionAuc(), 3) + "</b>");
        assertThat(html).contains(".").doesNotContainPattern("viewBox=\"0 0 480,");
        assertThat(html).doesNotContainPattern("[0-9],[0-9]{3}</b>");
    }

    @Test
    void missingOrCorruptInputsAreNamedInOneLine() throws IOException {
        Path copy = copyOfFolder();
        Path json = copy.resolve("explanation.json");
        String good = Files.readString(json);

        Files.delete(json);
        assertRejected(copy, "explanation.json", "does not exist");
        Files.writeString(json, "{\"prompt\": ");
        assertRejected(copy, "explanation.json", "not valid JSON");
        Files.writeString(json, "[1, 2]");
        assertRejected(copy, "explanation.json", "JSON object");

        ObjectMapper m = new ObjectMapper();
        ObjectNode tree = (ObjectNode) m.readTree(good);
        tree.remove("order");
        Files.writeString(json, tree.toString());
        assertRejected(copy, "explanation.json", "'order'", "missing");
        tree = (ObjectNode) m.readTree(good);
        tree.putArray("insertionCurve").add(0.5);
        Files.writeString(json, tree.toString());
        assertRejected(copy, "explanation.json", "'insertionCurve'", "expected 48");
        tree = (ObjectNode) m.readTree(good);
        tree.put("image", "../../etc/passwd");
        Files.writeString(json, tree.toString());
        assertRejected(copy, "explanation.json", "'image'");
        tree = (ObjectNode) m.readTree(good);
        tree.put("schemaVersion", ExplanationJson.SCHEMA_VERSION + 1);
        Files.writeString(json, tree.toString());
        assertRejected(copy, "explanation.json", "schemaVersion " + (ExplanationJson.SCHEMA_VERSION + 1));
        tree = (ObjectNode) m.readTree(good);
        tree.remove("schemaVersion"); // written before versions: read as version 1
        ((ObjectNode) tree.get("tokenReliance").get(0)).put("label", "vision");
        Files.writeString(json, tree.toString());
        assertRejected(copy, "explanation.json", "tokenReliance", "'vision'");

        Files.writeString(json, good);
        Files.move(copy.resolve("image.png"), copy.resolve("moved.png"));
        assertRejected(copy, "image.png", "does not exist");
        Files.move(copy.resolve("moved.png"), copy.resolve("image.png"));
        Files.delete(copy.resolve("regions.png"));
        assertRejected(copy, "regions.png", "does not exist");
        Files.writeString(copy.resolve("regions.png"), "not a png");
        assertRejected(copy, "regions.png");
        // nothing was written by the failed attempts
        assertThat(copy.resolve("report.html")).hasSameBinaryContentAs(folder.resolve("report.html"));
    }

    private static void assertRejected(Path dir, String... mentions) {
        assertThatThrownBy(() -> ExplanationWriter.regenerate(dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContainingAll(mentions)
                .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("\n"));
    }

    @Test
    void largeImagesAreShownDownscaledWithTheirLabels() {
        int w = 2048;
        int h = 1100;
        int[] px = new int[w * h];
        int[] labels = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % w) < w / 2 ? 0xFF0000 : 0x0000FF;
            labels[i] = (i % w) < w / 2 ? 0 : 1;
        }
        ExplanationReport.Display d = ExplanationReport.Display.of(RgbImage.of(w, h, px),
                io.github.eagle4j.RegionSet.fromLabels(w, h, labels));
        assertThat(d.width()).isEqualTo(1024);
        assertThat(d.height()).isEqualTo(550);
        assertThat(d.labels()).hasSize(1024 * 550);
        assertThat(d.labels()[0]).isZero();
        assertThat(d.labels()[1023]).isEqualTo(1);
        assertThat(d.image().getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
    }

    @Test
    void aLoneTokenIsColouredByItsReadingNotByItsRawReliance() throws IOException {
        Explanation lone = ReportFixtures.explanation(3);
        TokenReliance r = lone.metrics().tokenReliance().get(0);
        assertThat(r.label()).isEqualTo(RelianceLabel.PERCEPTION);
        assertThat(r.visualReliance()).as("below the 0.5 centre of the colour scale").isLessThan(0.5);
        ExplanationWriter.write(lone, ReportFixtures.scene(), dir, Map.of());
        String page = Files.readString(dir.resolve(ExplanationWriter.REPORT));
        Matcher m = Pattern.compile("class=\"tok target\"[^>]*data-reliance=\"([0-9.]+)\"").matcher(page);
        assertThat(m.find()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("red side of the scale").isGreaterThan(0.5);
        assertThat(page).contains("coloured by their reading");
    }
}
