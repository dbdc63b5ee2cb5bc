package io.github.eagle4j.evaluation.dataset;

import io.github.eagle4j.EagleException;
import io.github.eagle4j.InvalidInputException;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The lock file of an evaluation output folder ({@code evaluate.lock}): it holds the owner's process id and host,
 * so a second run on the same folder is refused with one line instead of deleting the first run's staging folders.
 * A lock whose owner is a process of this host that no longer runs (a killed run) is stale and taken over.
 */
final class OutputLock implements AutoCloseable {
    /** The lock file's name in the output folder. */
    static final String FILE = "evaluate.lock";

    private final Path file;
    private final String content;

    private OutputLock(Path file, String content) {
        this.file = file;
        this.content = content;
    }

    /**
     * Takes the lock of {@code folder} (which exists).
     *
     * @param shown the folder as the user named it, for the message
     * @throws InvalidInputException naming the folder and the owner when another live run holds it
     */
    static OutputLock acquire(Path folder, Path shown) {
        Path file = folder.resolve(FILE);
        String mine = String.format(Locale.ROOT, "pid=%d%nhost=%s%n", ProcessHandle.current().pid(), host());
        for (int attempt = 0; attempt < 3; attempt++) {
            if (create(file, mine)) {
                return new OutputLock(file, mine);
            }
            String theirs = read(file);
            if (theirs == null) {
                continue; // released in between
            }
            long pid = field(theirs, "pid");
            String host = text(theirs, "host");
            boolean stale = pid > 0 && host().equals(host) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
            if (!stale) {
                throw InvalidInputException.forInput(DataSetEvaluator.OUT, " " + shown + " is in use by another eagle evaluate (pid "
                        + (pid > 0 ? pid : "?") + " on " + (host == null ? "an unknown host" : host) + ", lock file "
                        + file + "); wait for it to end, or delete the lock file if that run is gone");
            }
            // the owner died (kill -9, power loss): take the lock over, unless someone else just did
            if (theirs.equals(read(file))) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new EagleException("cannot remove the stale lock " + file + ": " + e.getMessage(), e);
                }
            }
        }
        throw InvalidInputException.forInput(DataSetEvaluator.OUT, " " + shown + ": cannot take the lock " + file + " (other runs keep taking it)");
    }

    /** Creates the lock with its content in one step (a hard link to a finished temporary file). */
    private static boolean create(Path file, String content) {
        Path temp = null;
        try {
            temp = Files.createTempFile(file.getParent(), ".evaluate.lock.", ".tmp");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.createLink(file, temp);
            } catch (UnsupportedOperationException e) {
                Files.writeString(file, content, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new EagleException("cannot create the lock " + file + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover temporary file is hidden and harmless
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new EagleException("cannot read the lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static String text(String content, String name) {
        for (String line : content.split("\n")) {
            if (line.startsWith(name + "=")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    private static long field(String content, String name) {
        try {
            String v = text(content, name);
            return v == null ? -1 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** This machine's name (as locks record it). */
    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }

    /** Removes the lock if it is still this run's. */
    @Override
    public void close() {
        try {
            if (content.equals(read(file))) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException ignored) {
            // a lock left behind is stale once this process ends, and the next run takes it over
        }
    }
}
