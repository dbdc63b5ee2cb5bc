package io.github.eagle4j.evaluation.dataset;

import io.github.eagle4j.EagleException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which model made a run's results, as a resumed run or a merge must match it: the model by content, plus the
 * precision and backend asked for. Two folders of the same name with other weights differ; the same model at
 * another path or on another machine matches.
 *
 * @param name    the model folder's name, or the URL / id as given (for people; not what is compared alone)
 * @param digest  {@code sha256:} of the model's files (a folder) or of the name and served model (a server or an
 *                id the backend resolves itself)
 * @param dtype   the precision variant asked for ({@code default} when the backend chooses)
 * @param backend the backend asked for ({@code default} when the first that accepts the model is used)
 */
public record ModelIdentity(String name, String digest, String dtype, String backend) {
    /** Value of {@link #dtype} and {@link #backend} when none was asked for. */
    public static final String DEFAULT = "default";
    private static final long WHOLE_FILE_LIMIT = 64L << 20;
    private static final int SAMPLE = 1 << 20;
    private static final int SAMPLES = 16;

    /**
     * The identity of {@code model}: for a folder, the SHA-256 over every file below it (relative path and
     * content, in path order) except hidden files and Markdown notes, so config, tokenizer, template and every
     * graph and weight file count. A file larger than 64 MiB counts by its size and 17 samples of 1 MiB (its start,
     * its end and 15 evenly spaced between), so a folder of several GB is identified in a fraction of a second:
     * other weights (a fine-tune, another quantisation) differ in every sample. For anything else (a server URL, a hub id), the SHA-256 of the text and of
     * {@code servedModel}. Servers do not report a revision of their weights, so a server is identified by what
     * the run names.
     *
     * @param model       model folder, id or URL as given to the backend
     * @param servedModel the server's model name, or {@code null}
     * @param dtype       precision asked for, or {@code null}
     * @param backend     backend asked for, or {@code null}
     * @throws EagleException naming the file when a model file cannot be read
     */
    public static ModelIdentity of(String model, String servedModel, String dtype, String backend) {
        Path p = Path.of(model);
        String name = model;
        String digest;
        if (Files.isDirectory(p)) {
            Path abs = p.toAbsolutePath().normalize();
            if (abs.getFileName() != null) {
                name = abs.getFileName().toString();
            }
            digest = folderDigest(abs);
        } else {
            MessageDigest md = sha256();
            md.update(model.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update((servedModel == null ? "" : servedModel).getBytes(StandardCharsets.UTF_8));
            digest = HexFormat.of().formatHex(md.digest());
        }
        return new ModelIdentity(name, "sha256:" + digest, dtype == null ? DEFAULT : dtype,
                backend == null ? DEFAULT : backend);
    }

    private static String folderDigest(Path root) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(f -> !hidden(root.relativize(f)) && !f.getFileName().toString().endsWith(".md"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new EagleException("cannot list the model folder " + root + ": " + e.getMessage(), e);
        }
        MessageDigest all = sha256();
        byte[] buffer = new byte[1 << 16];
        for (Path f : files) {
            all.update(root.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            MessageDigest one = sha256();
            try {
                long size = Files.size(f);
                if (size > WHOLE_FILE_LIMIT) {
                    sample(f, size, one);
                } else {
                    try (InputStream in = Files.newInputStream(f)) {
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            one.update(buffer, 0, n);
                        }
                    }
                }
            } catch (IOException e) {
                throw new EagleException("cannot read the model file " + f + ": " + e.getMessage(), e);
            }
            all.update(one.digest());
        }
        return HexFormat.of().formatHex(all.digest());
    }

    /** The size and 17 samples of 1 MiB: start, end and 15 evenly spaced between. */
    private static void sample(Path f, long size, MessageDigest md) throws IOException {
        md.update(Long.toString(size).getBytes(StandardCharsets.US_ASCII));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(SAMPLE);
            for (int k = 0; k <= SAMPLES; k++) {
                long at = (size - SAMPLE) * k / SAMPLES;
                buf.clear();
                while (buf.hasRemaining() && ch.read(buf, at + buf.position()) > 0) {
                    // read the whole sample
                }
                buf.flip();
                md.update(buf);
            }
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
