package io.github.eagle4j.evaluation.output;

import io.github.eagle4j.EagleException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Creating and deleting output folders. */
public final class Folders {
    private Folders() {
    }

    /**
     * Creates {@code dir} and its parents when missing.
     *
     * @throws EagleException naming the folder when it cannot be created
     */
    public static void create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EagleException("cannot create the folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a folder and everything in it, as far as possible (a leftover staging folder is hidden and harmless). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort, as above
                }
            });
        } catch (IOException ignored) {
            // best effort, as above
        }
    }
}
