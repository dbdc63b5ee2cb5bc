package io.github.eagle4j.cli;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.evaluation.output.Folders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * An output folder that appears whole or not at all: results are written into a hidden staging folder
 * beside the target and moved into place only when everything succeeded.
 */
final class OutputFolder implements AutoCloseable {
    /** The file whose presence marks a folder as an earlier eagle4j output that may be replaced. */
    private final String marker;
    private final Path target;
    private final Path staging;
    private boolean published;

    private OutputFolder(Path target, Path staging, String marker) {
        this.target = target;
        this.staging = staging;
        this.marker = marker;
    }

    /**
     * Checks that {@code target} may be written (absent, empty, or an earlier output containing
     * {@code marker}) and creates the staging folder.
     *
     * @throws InvalidInputException naming the option when the target is a file or a foreign non-empty folder
     */
    static OutputFolder prepare(Path target, String marker) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw new InvalidInputException("--out " + target + " is a file, not a folder");
            }
            if (!isEmpty(abs) && !Files.exists(abs.resolve(marker))) {
                throw new InvalidInputException("--out " + target + " is a non-empty folder without " + marker
                        + "; refusing to overwrite it (choose a new or empty folder)");
            }
        }
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
            Path staging = Files.createTempDirectory(parent, "." + abs.getFileName() + ".partial-");
            return new OutputFolder(abs, staging, marker);
        } catch (IOException e) {
            throw new InvalidInputException("--out " + target + ": cannot create a folder there (" + e.getMessage() + ")");
        }
    }

    /** Where to write the files before publishing. */
    Path staging() {
        return staging;
    }

    /** Moves the staged files into place, replacing an earlier output. */
    void publish() throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            move(target, old);
        }
        move(staging, target);
        published = true;
        makeReadable(target);
        if (old != null) {
            deleteTree(old);
        }
    }

    @Override
    public void close() {
        if (!published) {
            deleteTree(staging);
        }
    }

    /** Temporary folders are created owner-only; a published output is an ordinary folder. */
    private static void makeReadable(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: its default permissions apply
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        Folders.deleteTree(root);
    }
}
