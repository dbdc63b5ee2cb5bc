package io.github.eagle4j.onnx.hub;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.onnx.Goldens;
import io.github.eagle4j.onnx.OnnxModelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Offline resolution of {@code owner/name[@revision]} in a fake Hugging Face cache tree. */
public class HfCacheTest {
    public static final String MAIN = "0123456789abcdef0123456789abcdef01234567";
    static final String V1 = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;

    private HfCache cache(Map<String, String> env) {
        return new HfCache(env::get, tmp.resolve("home"));
    }

    /** {@code hub/models--acme--tiny} with refs main → MAIN, v1 → V1, both snapshots holding onnx/. */
    public static Path fakeRepo(Path hub, String owner, String name) throws IOException {
        Path repo = hub.resolve("models--" + owner + "--" + name);
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), MAIN);
        Files.writeString(repo.resolve("refs/v1"), V1 + "\n");
        Files.createDirectories(repo.resolve("snapshots").resolve(MAIN).resolve("onnx"));
        Files.createDirectories(repo.resolve("snapshots").resolve(V1).resolve("onnx"));
        Files.createDirectories(repo.resolve("blobs"));
        return repo;
    }

    @Test
    void rootFollowsHuggingFaceHub() {
        Path home = tmp.resolve("home");
        assertThat(cache(Map.of()).root()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(cache(Map.of("XDG_CACHE_HOME", "/x")).root()).isEqualTo(Path.of("/x/huggingface/hub"));
        assertThat(cache(Map.of("XDG_CACHE_HOME", "/x", "HF_HOME", "/h")).root()).isEqualTo(Path.of("/h/hub"));
        assertThat(cache(Map.of("HF_HOME", "/h", "HUGGINGFACE_HUB_CACHE", "/old")).root()).isEqualTo(Path.of("/old"));
        assertThat(cache(Map.of("HF_HOME", "/h", "HUGGINGFACE_HUB_CACHE", "/old", "HF_HUB_CACHE", "/c")).root()).isEqualTo(Path.of("/c"));
        assertThat(cache(Map.of("HF_HOME", "~/hf")).root()).isEqualTo(home.resolve("hf/hub"));
    }

    @Test
    void repoIds() {
        assertThat(HfCache.isRepoId("onnx-community/SmolVLM-256M-Instruct")).isTrue();
        assertThat(HfCache.isRepoId("llava-hf/llava-interleave-qwen-0.5b-hf@main")).isTrue();
        assertThat(HfCache.isRepoId("acme/tiny@" + MAIN)).isTrue();
        assertThat(HfCache.isRepoId("acme/tiny@refs/pr/1")).isTrue();
        assertThat(HfCache.isRepoId("tiny")).isFalse();
        assertThat(HfCache.isRepoId("a/b/c")).isFalse();
        assertThat(HfCache.isRepoId("../models")).isFalse();
        assertThat(HfCache.isRepoId("/abs/path")).isFalse();
        assertThat(HfCache.isRepoId("http://localhost:8000")).isFalse();
        assertThat(HfCache.isRepoId("test:red-square")).isFalse();
        assertThat(HfCache.isRepoId("acme/tiny@../../x")).isFalse();
        assertThat(HfCache.isRepoId("acme/a--b")).isFalse();
    }

    @Test
    void resolvesBranchTagAndCommit() throws IOException {
        Path hub = tmp.resolve("hub");
        Path repo = fakeRepo(hub, "acme", "tiny");
        HfCache c = cache(Map.of("HF_HUB_CACHE", hub.toString()));
        assertThat(c.resolve("acme/tiny")).isEqualTo(repo.resolve("snapshots").resolve(MAIN));
        assertThat(c.resolve("acme/tiny@main")).isEqualTo(repo.resolve("snapshots").resolve(MAIN));
        assertThat(c.resolve("acme/tiny@v1")).isEqualTo(repo.resolve("snapshots").resolve(V1));
        assertThat(c.resolve("acme/tiny@" + V1)).isEqualTo(repo.resolve("snapshots").resolve(V1));
        // HF_HOME/hub is the same cache
        assertThat(cache(Map.of("HF_HOME", tmp.toString())).resolve("acme/tiny@v1")).isEqualTo(repo.resolve("snapshots").resolve(V1));
    }

    @Test
    void missingModelNamesThePathAndTheFetchCommand() throws IOException {
        Path hub = tmp.resolve("hub");
        fakeRepo(hub, "acme", "tiny");
        assertFails(() -> cache(Map.of("HF_HUB_CACHE", hub.toString())).resolve("acme/other@v2"),
                hub.resolve("models--acme--other").toString(),
                "hf download acme/other --revision v2 --include \"*.json\" --include \"*.jinja\" --include \"onnx/*\"");
    }

    @Test
    void missingRefNamesTheRefsFile() throws IOException {
        Path hub = tmp.resolve("hub");
        Path repo = fakeRepo(hub, "acme", "tiny");
        assertFails(() -> cache(Map.of("HF_HUB_CACHE", hub.toString())).resolve("acme/tiny@v9"),
                repo.resolve("refs/v9").toString(), "hf download acme/tiny --revision v9");
        String absent = "fedcba9876543210fedcba9876543210fedcba98";
        assertFails(() -> cache(Map.of("HF_HUB_CACHE", hub.toString())).resolve("acme/tiny@" + absent),
                repo.resolve("refs").resolve(absent).toString(), repo.resolve("snapshots").resolve(absent).toString());
    }

    @Test
    void refToAMissingSnapshotOrAnUnreadableRef() throws IOException {
        Path hub = tmp.resolve("hub");
        Path repo = fakeRepo(hub, "acme", "tiny");
        Files.writeString(repo.resolve("refs/gone"), "fedcba9876543210fedcba9876543210fedcba98");
        Files.writeString(repo.resolve("refs/junk"), "not a hash");
        HfCache c = cache(Map.of("HF_HUB_CACHE", hub.toString()));
        assertFails(() -> c.resolve("acme/tiny@gone"), repo.resolve("snapshots/fedcba9876543210fedcba9876543210fedcba98").toString());
        assertFails(() -> c.resolve("acme/tiny@junk"), repo.resolve("refs/junk").toString(), "commit hash");
    }

    @Test
    void snapshotWithoutOnnxFolder() throws IOException {
        Path hub = tmp.resolve("hub");
        Path repo = fakeRepo(hub, "acme", "tiny");
        Files.delete(repo.resolve("snapshots").resolve(MAIN).resolve("onnx"));
        assertFails(() -> cache(Map.of("HF_HUB_CACHE", hub.toString())).resolve("acme/tiny"),
                repo.resolve("snapshots").resolve(MAIN).toString(), "onnx/", "hf download acme/tiny --include");
    }

    @Test
    void providerAcceptsIdsThatAreNotLocalPathsButNotUrls() {
        OnnxModelProvider p = new OnnxModelProvider(cache(Map.of()));
        assertThat(p.accepts("acme/tiny")).isTrue();
        assertThat(p.accepts("acme/tiny@v1")).isTrue();
        assertThat(p.accepts("http://localhost:8000/v1")).isFalse();
        assertThat(p.accepts("test:red-square")).isFalse();
        assertThat(p.accepts(Goldens.main().modelDir.toString())).isTrue();
    }

    private static void assertFails(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... fragments) {
        var a = assertThatThrownBy(call).isInstanceOf(InvalidInputException.class);
        for (String f : fragments) {
            a.hasMessageContaining(f);
        }
        a.satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
