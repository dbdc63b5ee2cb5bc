package io.github.eagle4j.evaluation.dataset;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.eagle4j.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target of the manifest parser (Jazzer): any bytes give a manifest or one {@link InvalidInputException} whose
 * message is one line naming the manifest; any other exception or a hang is a bug. {@code mvn test} runs the
 * committed corpus under {@code src/test/resources/.../ManifestFuzzTestInputs/manifestParsing} (Jazzer's
 * regression mode: deterministic); with {@code JAZZER_FUZZ=1} it fuzzes for the given time (docs/evaluation.md),
 * and a finding is added to that corpus.
 */
class ManifestFuzzTest {
    private static final Path DIR = folderWithImage();

    private static Path folderWithImage() {
        try {
            Path dir = Files.createTempDirectory("eagle4j-manifest-fuzz");
            dir.toFile().deleteOnExit();
            ManifestTest.writeImage(dir);
            dir.resolve("img.png").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void manifestParsing(byte[] data) {
        try {
            Manifest m = Manifest.parse(DIR.resolve("m.jsonl"), data);
            assertThat(m.items()).isNotEmpty();
        } catch (InvalidInputException e) {
            assertThat(e.getMessage()).startsWith("manifest ").doesNotContain("\n");
        }
    }
}
