package io.github.eagle4j;

import io.github.eagle4j.imageio.ImageFiles;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the README's Java API snippet verbatim against a scorer written here. */
class ReadmeSnippetTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path THIS_SOURCE = Path.of("src", "test", "java", "io", "github", "eagle4j",
            "ReadmeSnippetTest.java");

    /** The README snippet, unchanged (the test below checks every line is the README's). */
    static Explanation readmeSnippet(TokenScorer scorer) throws IOException {
        // --- snippet ---
        RgbImage image = ImageFiles.read(Path.of("scene.png"));
        ExplainOptions options = ExplainOptions.builder()
                .regions(64)                    // SLIC superpixels; the authors' default
                .search(SearchKind.FULL)        // the paper's greedy search
                .build();
        Explanation e = new Explainer(options).explain(image, scorer,
                (placed, total, images) -> System.err.printf("%d/%d regions, %d images%n", placed, total, images));
        System.out.printf("most important region %d, insertion AUC %.3f, deletion AUC %.3f%n",
                e.curves().order()[0], e.metrics().insertionAuc(), e.metrics().deletionAuc());
        // --- end ---
        return e;
    }

    @Test
    void snippetIsTheReadmes() throws IOException {
        String readme = Files.readString(README);
        String block = readme.substring(readme.indexOf("<!-- api-snippet:start -->"),
                readme.indexOf("<!-- api-snippet:end -->"));
        List<String> readmeLines = block.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("<!--") && !l.startsWith("```")).toList();
        String source = Files.readString(THIS_SOURCE);
        String snippet = source.substring(source.indexOf("// --- snippet ---"), source.indexOf("// --- end ---"));
        List<String> sourceLines = snippet.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("// ---")).toList();
        assertThat(sourceLines).isEqualTo(readmeLines);
    }

    @Test
    void snippetRunsAndFindsTheBrightSquare() throws IOException {
        // the snippet reads scene.png from the working directory (the module folder under Maven)
        Path scene = Path.of("scene.png");
        BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 96; x++) {
                img.setRGB(x, y, x >= 60 && x < 84 && y >= 12 && y < 36 ? 0xF0F0F0 : 0x303030 + (x % 5) * 0x010101);
            }
        }
        ImageIO.write(img, "png", scene.toFile());
        try {
            Explanation e = readmeSnippet(new BrightPixelScorer(24 * 24));
            int first = e.curves().order()[0];
            boolean onSquare = false;
            for (int y = 12; y < 36 && !onSquare; y++) {
                for (int x = 60; x < 84; x++) {
                    if (e.regions().label(x, y) == first) {
                        onSquare = true;
                        break;
                    }
                }
            }
            assertThat(onSquare).as("most important region lies on the bright square").isTrue();
            assertThat(e.cost().forwardPasses()).isEqualTo((long) e.regionCount() * (e.regionCount() + 1));
            assertThat(e.metrics().insertionAuc()).isGreaterThan(e.metrics().deletionAuc());
        } finally {
            Files.deleteIfExists(scene);
        }
    }

    /** Probability = share of a bright square's pixels that are visible. */
    static final class BrightPixelScorer implements TokenScorer {
        private final int squarePixels;
        private final ScoringTask task = new ScoringTask("Is there a square?", "yes", List.of("yes"),
                List.of(new Target(0, "yes", 1)));

        BrightPixelScorer(int squarePixels) {
            this.squarePixels = squarePixels;
        }

        @Override
        public ScoringTask task() {
            return task;
        }

        @Override
        public double[][] score(List<RgbImage> images) {
            double[][] out = new double[images.size()][1];
            for (int i = 0; i < images.size(); i++) {
                int bright = 0;
                RgbImage im = images.get(i);
                for (int p = 0; p < im.pixelCount(); p++) {
                    if ((im.rgbAt(p) & 0xFF) > 200) {
                        bright++;
                    }
                }
                out[i][0] = 0.05 + 0.9 * Math.min(1.0, bright / (double) squarePixels);
            }
            return out;
        }
    }
}
