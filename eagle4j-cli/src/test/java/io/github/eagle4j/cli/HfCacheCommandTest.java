package io.github.eagle4j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --model owner/name[@revision]} and {@code --dtype} end to end, against a fake Hugging Face cache in a
 * temporary folder. The cache root reaches the backend through the system property
 * {@code eagle4j.env.HF_HUB_CACHE}, which stands in for the environment variable; the process environment is not
 * touched.
 */
class HfCacheCommandTest {
    private static final String PROPERTY = "eagle4j.env.HF_HUB_CACHE";
    private static final String MAIN = "0123456789abcdef0123456789abcdef01234567";
    private static final String V1 = "89abcdef0123456789abcdef0123456789abcdef";
    private static final Path BUNDLED = Path.of(TinyModelGroundingTest.MODEL);
    private static final String ANSWER = "a red square .";

    @TempDir
    Path tmp;
    Path hub;
    Path repo;
    Path image;

    @BeforeEach
    void fakeCache() throws IOException {
        hub = tmp.resolve("hub");
        repo = hub.resolve("models--acme--tiny-shapes");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), MAIN);
        Files.writeString(repo.resolve("refs/v1"), V1);
        copy(BUNDLED, repo.resolve("snapshots").resolve(MAIN));
        copy(BUNDLED, repo.resolve("snapshots").resolve(V1));
        image = ExplainCommandTest.redSquareImage(tmp);
        System.setProperty(PROPERTY, hub.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty(PROPERTY);
    }

    private ExplainCommandTest.Result generate(String model, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("generate", "--model", model, "--image", image.toString(),
                "--prompt", "Describe the image.", "--max-new-tokens", "8"));
        args.addAll(List.of(more));
        return eagle(args.toArray(String[]::new));
    }

    @Test
    void resolvesOwnerNameRevisionAndCommit() {
        for (String model : List.of("acme/tiny-shapes", "acme/tiny-shapes@v1", "acme/tiny-shapes@" + V1)) {
            ExplainCommandTest.Result r = generate(model);
            assertThat(r.status()).as(model + ": " + r.err()).isZero();
            assertThat(r.out().lines().findFirst().orElse("")).as(model).isNotBlank();
        }
    }

    @Test
    void fp16FromTheCacheGivesTheFp32Answer() {
        ExplainCommandTest.Result fp32 = generate("acme/tiny-shapes", "--dtype", "fp32");
        ExplainCommandTest.Result fp16 = generate("acme/tiny-shapes", "--dtype", "fp16");
        assertThat(fp32.status()).as(fp32.err()).isZero();
        assertThat(fp16.status()).as(fp16.err()).isZero();
        assertThat(fp16.out()).isEqualTo(fp32.out());
    }

    @Test
    void missingModel() {
        assertRejected(generate("acme/absent"), repo.resolveSibling("models--acme--absent").toString(),
                "hf download acme/absent --include");
    }

    @Test
    void missingRef() {
        assertRejected(generate("acme/tiny-shapes@v2"), repo.resolve("refs").resolve("v2").toString(),
                "hf download acme/tiny-shapes --revision v2");
    }

    @Test
    void snapshotWithoutOnnx() throws IOException {
        Path onnx = repo.resolve("snapshots").resolve(MAIN).resolve("onnx");
        try (Stream<Path> s = Files.list(onnx)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(onnx);
        assertRejected(generate("acme/tiny-shapes"), repo.resolve("snapshots").resolve(MAIN).toString(), "onnx/");
    }

    @Test
    void absentDtype() throws IOException {
        Files.delete(repo.resolve("snapshots").resolve(MAIN).resolve("onnx/decoder_model_merged_fp16.onnx"));
        assertRejected(generate("acme/tiny-shapes", "--dtype", "fp16"), "onnx/decoder_model_merged_fp16.onnx",
                "dtypes present: fp32");
        assertRejected(generate("acme/tiny-shapes", "--dtype", "fp8"), "dtype", "fp8");
    }

    @Test
    void aLocalFolderWinsOverTheCache() {
        ExplainCommandTest.Result r = generate(TinyModelGroundingTest.MODEL, "--dtype", "fp16");
        assertThat(r.status()).as(r.err()).isZero();
    }

    private static void assertRejected(ExplainCommandTest.Result r, String... mentions) {
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).contains(mentions).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void copy(Path src, Path dst) throws IOException {
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
