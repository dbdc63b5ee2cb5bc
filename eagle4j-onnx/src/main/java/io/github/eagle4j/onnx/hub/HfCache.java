package io.github.eagle4j.onnx.hub;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ModelProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a model repository {@code owner/name[@revision]} in the local Hugging Face cache, offline: it never
 * downloads. The cache root is, as {@code huggingface_hub} computes it, {@code $HF_HUB_CACHE}, else
 * {@code $HUGGINGFACE_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else
 * {@code ~/.cache/huggingface/hub}. The repository lives in {@code models--owner--name/}; a branch or tag (default
 * {@code main}) names a commit in {@code refs/<revision>}, and the files of a commit are in
 * {@code snapshots/<commit>/}. A 40-hex commit hash is looked up in {@code snapshots/} directly.
 *
 * <p>Each environment variable can be overridden by the Java system property {@code eagle4j.env.NAME} (for tests
 * and for applications that embed eagle4j), or the whole lookup replaced with {@link #HfCache(UnaryOperator, Path)}.
 *
 * <p>When something is missing the {@link InvalidInputException} names the path looked in and the command that
 * fetches the model ({@code hf download}, the current Hugging Face CLI; {@code huggingface-cli} is deprecated).
 */
public final class HfCache {
    /** {@code owner/name} or {@code owner/name@revision}; names as the Hub allows them. */
    private static final Pattern REPO_ID = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9_.-]{0,95})/([A-Za-z0-9_][A-Za-z0-9_.-]{0,95})"
            + "(?:@([A-Za-z0-9_][A-Za-z0-9_./-]{0,199}))?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final String DEFAULT_REVISION = "main";

    private final UnaryOperator<String> env;
    private final Path home;

    /**
     * @param env  environment lookup (variable name → value or {@code null})
     * @param home the user's home folder, for the {@code ~/.cache} fallback
     */
    public HfCache(UnaryOperator<String> env, Path home) {
        this.env = Objects.requireNonNull(env, "env");
        this.home = Objects.requireNonNull(home, "home");
    }

    /** The cache of this process: environment variables (or {@code eagle4j.env.NAME} properties), {@code user.home}. */
    public static HfCache fromEnvironment() {
        return new HfCache(name -> {
            String p = System.getProperty("eagle4j.env." + name);
            return p != null ? p : System.getenv(name);
        }, Path.of(System.getProperty("user.home", "")));
    }

    /**
     * Whether a {@code --model} value has the form {@code owner/name[@revision]} (it may still be a local path; callers
     * check for a folder first).
     */
    public static boolean isRepoId(String model) {
        return model != null && REPO_ID.matcher(model).matches() && !model.contains("..") && !model.contains("--");
    }

    /** The cache root this lookup uses. */
    public Path root() {
        String hubCache = value("HF_HUB_CACHE");
        if (hubCache == null) {
            hubCache = value("HUGGINGFACE_HUB_CACHE");
        }
        if (hubCache != null) {
            return path(hubCache, "HF_HUB_CACHE");
        }
        String hfHome = value("HF_HOME");
        if (hfHome != null) {
            return path(hfHome, "HF_HOME").resolve("hub");
        }
        String xdg = value("XDG_CACHE_HOME");
        Path cache = xdg != null ? path(xdg, "XDG_CACHE_HOME") : home.resolve(".cache");
        return cache.resolve("huggingface").resolve("hub");
    }

    /**
     * The snapshot folder of {@code owner/name[@revision]}, checked to hold an {@code onnx/} folder.
     *
     * @throws InvalidInputException (one line) when the repository, the revision, the snapshot or its {@code onnx/}
     *                               folder is missing, naming the path looked in and the command that fetches it
     */
    public Path resolve(String model) {
        Matcher m = REPO_ID.matcher(model);
        if (!isRepoId(model) || !m.matches()) {
            throw InvalidInputException.forInput(ModelProvider.MODEL, " '" + model + "' is not a folder nor a Hugging Face model id owner/name[@revision]");
        }
        String repo = m.group(1) + "/" + m.group(2);
        String revision = m.group(3) != null ? m.group(3) : DEFAULT_REVISION;
        String fetch = fetchCommand(repo, m.group(3));
        Path repoDir = root().resolve("models--" + m.group(1) + "--" + m.group(2));
        if (!Files.isDirectory(repoDir)) {
            throw InvalidInputException.forInput(ModelProvider.MODEL, " " + model + " is neither a folder nor in the Hugging Face cache (looked in "
                    + repoDir + "); eagle4j never downloads: fetch it with " + fetch);
        }
        Path snapshots = repoDir.resolve("snapshots");
        String commit;
        if (COMMIT.matcher(revision).matches() && Files.isDirectory(snapshots.resolve(revision))) {
            commit = revision;
        } else {
            Path ref = repoDir.resolve("refs").resolve(revision);
            if (!Files.isRegularFile(ref)) {
                throw InvalidInputException.forInput(ModelProvider.MODEL, " " + model + ": the Hugging Face cache has no revision " + revision + " of "
                        + repo + " (no " + ref + (COMMIT.matcher(revision).matches() ? " nor " + snapshots.resolve(revision) : "")
                        + "); fetch it with " + fetch);
            }
            try {
                commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw InvalidInputException.forInput(ModelProvider.MODEL, " " + model + ": " + ref + " cannot be read: " + e.getMessage(), e);
            }
            if (!COMMIT.matcher(commit).matches()) {
                throw InvalidInputException.forInput(ModelProvider.MODEL, " " + model + ": " + ref + " does not hold a commit hash");
            }
        }
        Path snapshot = snapshots.resolve(commit);
        if (!Files.isDirectory(snapshot)) {
            throw InvalidInputException.forInput(ModelProvider.MODEL, " " + model + ": revision " + revision + " is commit " + commit + " but the Hugging Face cache has no "
                    + snapshot + "; fetch it with " + fetch);
        }
        if (!Files.isDirectory(snapshot.resolve("onnx"))) {
            throw InvalidInputException.forInput(ModelProvider.MODEL, " " + model + ": snapshot " + snapshot + " has no onnx/ folder (not an onnx-community "
                    + "export, or fetched without its ONNX files); fetch them with " + fetch);
        }
        return snapshot;
    }

    /** The {@code hf download} command that puts what eagle4j reads into the cache. */
    static String fetchCommand(String repo, String revision) {
        return "hf download " + repo + (revision != null ? " --revision " + revision : "")
                + " --include \"*.json\" --include \"*.jinja\" --include \"onnx/*\"";
    }

    private String value(String name) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private Path path(String value, String name) {
        String v = value.startsWith("~/") || value.equals("~") ? home + value.substring(1) : value;
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new InvalidInputException(name + " '" + value + "' is not a valid path: " + e.getReason(), e);
        }
    }
}
