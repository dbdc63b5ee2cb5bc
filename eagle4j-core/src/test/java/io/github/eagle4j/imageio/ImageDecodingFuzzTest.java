package io.github.eagle4j.imageio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Image decoding under arbitrary bytes: {@link ImageFiles#read} gives an image whose pixel count matches its size, or
 * an {@link InvalidInputException} whose one-line message names the file, and nothing else (no other exception, no
 * hang). Seeds are small PNGs and JPEGs in unusual encodings ({@code ImageDecodingFuzzTestInputs/readImage}).
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seeds (and any crash inputs saved beside them) as regression tests; the
 * core module's test configuration sets {@code JAZZER_FUZZ=1}, so {@code mvn test} also fuzzes for
 * {@value #SECONDS} seconds. Inputs may declare at most a quarter megapixel, so a header promising a huge image is
 * refused before memory is spent on it.
 */
class ImageDecodingFuzzTest {
    static final String SECONDS = "20";
    static final long MAX_PIXELS = 250_000;
    private static Path dir;

    @BeforeAll
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("image-fuzz");
    }

    @AfterAll
    static void deleteDir() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @FuzzTest(maxDuration = SECONDS + "s")
    void readImage(byte[] data) throws IOException {
        Path file = dir.resolve("input.img");
        Files.write(file, data);
        try {
            RgbImage image = ImageFiles.read(file, MAX_PIXELS);
            assertThat(image.pixels()).hasSize(image.width() * image.height());
            assertThat((long) image.width() * image.height()).isBetween(1L, MAX_PIXELS);
        } catch (InvalidInputException e) {
            assertThat(e.getMessage()).contains(file.toString()).doesNotContain("\n");
        }
    }
}
