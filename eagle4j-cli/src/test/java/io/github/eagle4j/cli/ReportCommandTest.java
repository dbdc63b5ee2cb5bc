package io.github.eagle4j.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code eagle report DIR}: the views again from explanation.json alone; bad folders exit 2 naming the file. */
class ReportCommandTest {
    static final List<String> VIEWS = List.of("report.html", "overlay.png", "attribution.png", "curves.png");

    @TempDir
    static Path shared;
    static Path explained;

    @TempDir
    Path dir;

    @BeforeAll
    static void explainOnce() throws IOException {
        Path image = ExplainCommandTest.redSquareImage(shared);
        explained = shared.resolve("out");
        ExplainCommandTest.Result r = eagle("explain", "--model", "test:red-square", "--image", image.toString(),
                "--prompt", "<img src=x onerror=alert(1)>", "--target-word", "red", "--grid", "4x4",
                "--out", explained.toString());
        assertThat(r.status()).as(r.err()).isZero();
    }

    private Path copy() throws IOException {
        Path out = Files.createDirectory(dir.resolve("copy"));
        try (Stream<Path> files = Files.list(explained)) {
            for (Path f : files.toList()) {
                Files.copy(f, out.resolve(f.getFileName()));
            }
        }
        return out;
    }

    @Test
    void explainWritesTheReportAndTheImage() throws IOException {
        for (String name : List.of("report.html", "image.png", "curves.png", "overlay.png", "attribution.png",
                "regions.png", "explanation.json")) {
            assertThat(explained.resolve(name)).as(name).isNotEmptyFile();
        }
        String html = Files.readString(explained.resolve("report.html"));
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img src=x");
        // one explained token: min-max normalising is degenerate, so its reading colours it
        assertThat(html).contains("coloured by their reading");
        assertThat(Files.readString(explained.resolve("explanation.json"))).contains("\"image\" : \"image.png\"");
    }

    @Test
    void regeneratesTheViewsFromTheJsonAlone() throws IOException {
        Path out = copy();
        List<byte[]> before = new java.util.ArrayList<>();
        for (String name : VIEWS) {
            before.add(Files.readAllBytes(out.resolve(name)));
            Files.delete(out.resolve(name));
        }
        ExplainCommandTest.Result r = eagle("report", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("report.html").contains("16 regions");
        for (int i = 0; i < VIEWS.size(); i++) {
            assertThat(Files.readAllBytes(out.resolve(VIEWS.get(i)))).as(VIEWS.get(i)).isEqualTo(before.get(i));
        }
        // the explanation.json path works as well
        assertThat(eagle("report", out.resolve("explanation.json").toString()).status()).isZero();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    private static void assertRejected(ExplainCommandTest.Result r, String... mentions) {
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).contains(mentions).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void missingFolder() {
        assertRejected(eagle("report", dir.resolve("nowhere").toString()), "nowhere", "does not exist");
    }

    @Test
    void folderWithoutExplanationJson() throws IOException {
        Path out = copy();
        Files.delete(out.resolve("explanation.json"));
        assertRejected(eagle("report", out.toString()), "explanation.json", "does not exist");
    }

    @Test
    void corruptExplanationJson() throws IOException {
        Path out = copy();
        Files.writeString(out.resolve("explanation.json"), "{\"prompt\": \"truncated");
        assertRejected(eagle("report", out.toString()), "explanation.json", "not valid JSON");
        Files.writeString(out.resolve("explanation.json"), "{\"prompt\": \"no other field\"}");
        assertRejected(eagle("report", out.toString()), "explanation.json", "regionCount");
    }

    @Test
    void missingImageOrRegions() throws IOException {
        Path out = copy();
        Files.delete(out.resolve("image.png"));
        assertRejected(eagle("report", out.toString()), "image.png");
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.copy(explained.resolve("explanation.json"), other.resolve("explanation.json"));
        Files.copy(explained.resolve("image.png"), other.resolve("image.png"));
        assertRejected(eagle("report", other.toString()), "regions.png");
        assertThat(other.resolve("report.html")).doesNotExist();
    }

    @Test
    void listedInHelp() {
        assertThat(eagle("--help").out()).contains("report");
        assertThat(eagle("report", "--help").out()).contains("DIR", "report.html", "curves.png");
    }
}
