package io.github.eagle4j.evaluation.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A model folder is identified by its files' content, not by its name or place. */
class ModelIdentityTest {
    @TempDir
    Path dir;

    private Path model(String parent, String config) throws IOException {
        Path m = Files.createDirectories(dir.resolve(parent).resolve("model").resolve("onnx"));
        Files.writeString(m.resolveSibling("config.json"), config);
        Files.writeString(m.resolve("decoder_model_merged.onnx"), "graph");
        Files.writeString(m.resolveSibling("README.md"), "notes of " + parent); // notes do not count
        return m.getParent();
    }

    @Test
    void theSameFilesElsewhereMatchAndOtherFilesOfTheSameNameDoNot() throws IOException {
        ModelIdentity a = ModelIdentity.of(model("a", "{}").toString(), null, null, null);
        ModelIdentity b = ModelIdentity.of(model("b", "{}").toString(), null, null, null);
        ModelIdentity c = ModelIdentity.of(model("c", "{ }").toString(), null, "fp16", "onnx");
        assertThat(a.name()).isEqualTo("model").isEqualTo(c.name());
        assertThat(a).isEqualTo(b);
        assertThat(c.digest()).isNotEqualTo(a.digest());
        assertThat(a.dtype()).isEqualTo(ModelIdentity.DEFAULT);
        assertThat(c.dtype()).isEqualTo("fp16");
        assertThat(c.backend()).isEqualTo("onnx");
    }

    @Test
    void aLargeWeightFileCountsBySizeAndSamples() throws IOException {
        Path m = model("a", "{}");
        Path weights = m.resolve("onnx").resolve("decoder_model_merged.onnx_data");
        long size = 80L << 20; // over the 64 MiB read whole
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            f.setLength(size);
        }
        String before = ModelIdentity.of(m.toString(), null, null, null).digest();
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            f.seek(size / 2); // inside the middle sample
            f.write(1);
        }
        assertThat(ModelIdentity.of(m.toString(), null, null, null).digest()).isNotEqualTo(before);
    }

    @Test
    void aServerIsIdentifiedByItsUrlAndServedModel() {
        ModelIdentity x = ModelIdentity.of("http://localhost:8000", "llava", null, "vllm");
        assertThat(x.name()).isEqualTo("http://localhost:8000");
        assertThat(x.digest()).isNotEqualTo(ModelIdentity.of("http://localhost:8000", "qwen", null, "vllm").digest());
    }
}
