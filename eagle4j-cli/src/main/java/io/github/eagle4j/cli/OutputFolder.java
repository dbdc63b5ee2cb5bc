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
 *
 * <p>The staging folder is named {@code .OUT.partial-PID-HOST-RANDOM}. It is deleted when the run ends without
 * publishing, also on SIGINT or SIGTERM (a shutdown hook); a run killed outright (SIGKILL, power loss) leaves it, and
 * the next run for the same {@code --out} deletes staging folders whose process is gone on this host.
 */
final class OutputFolder implements AutoCloseable {
    private static final String PARTIAL = ".partial-";
    /** The file whose presence marks a folder as an earlier eagle4j output that may be replaced. */
    private final String marker;
    private final Path target;
    private final Path staging;
    private final Thread cleanUpOnSignal;
    private final ShutdownGuard guard;
    private volatile boolean published;

    private OutputFolder(Path target, Path staging, String marker, Thread cleanUpOnSignal, ShutdownGuard guard) {
        this.target = target;
        this.staging = staging;
        this.marker = marker;
        this.cleanUpOnSignal = cleanUpOnSignal;
        this.guard = guard;
    }

    /**
     * The shutdown hook's side: on SIGINT or SIGTERM the run's threads keep going while hooks run, so a writer may
     * still add files to the staging folder as it is deleted, or be just creating it. The hook first stops
     * publishing (a publish already under way finishes, and then there is nothing to delete), then deletes until the
     * folder has stayed gone for 200 ms.
     */
    private static final class ShutdownGuard {
        private static final long GIVE_UP_NANOS = 5_000_000_000L;
        final Object lock = new Object();
        volatile Path staging;
        boolean closing;
        boolean published;

        void onShutdown() {
            synchronized (lock) {
                if (published || staging == null) {
                    return;
                }
                closing = true;
            }
            long end = System.nanoTime() + GIVE_UP_NANOS;
            int quiet = 0;
            while (quiet < 10 && System.nanoTime() < end) {
                if (Files.exists(staging)) {
                    deleteTree(staging);
                    quiet = 0;
                } else {
                    quiet++;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
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
            removeStaleStaging(parent, abs.getFileName().toString());
            ShutdownGuard guard = new ShutdownGuard();
            // registered before the folder exists, so no signal can fall between its creation and the hook
            Thread hook = new Thread(guard::onShutdown, "eagle4j-staging-clean-up");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                createStaging(guard, parent, stagingPrefix(abs.getFileName().toString()));
            } catch (IOException e) {
                Runtime.getRuntime().removeShutdownHook(hook);
                throw e;
            }
            return new OutputFolder(abs, guard.staging, marker, hook, guard);
        } catch (IOException e) {
            throw new InvalidInputException("--out " + target + ": cannot create a folder there (" + e.getMessage() + ")");
        }
    }

    /**
     * Creates {@code PREFIX<random>} (owner-only where the file system has POSIX permissions), naming it to the guard
     * before it exists: a signal that arrives while the folder is being created still finds and deletes it.
     */
    private static void createStaging(ShutdownGuard guard, Path parent, String prefix) throws IOException {
        java.nio.file.attribute.FileAttribute<?>[] ownerOnly = parent.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new java.nio.file.attribute.FileAttribute<?>[] {java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"))}
                : new java.nio.file.attribute.FileAttribute<?>[0];
        for (int attempt = 0; ; attempt++) {
            Path candidate = parent.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong()));
            guard.staging = candidate;
            try {
                Files.createDirectory(candidate, ownerOnly);
                return;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 20) {
                    throw e;
                }
            }
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** Where to write the files before publishing. */
    Path staging() {
        return staging;
    }

    /** Moves the staged files into place, replacing an earlier output. */
    void publish() throws IOException {
        Path old = null;
        synchronized (guard.lock) {
            if (guard.closing) {
                throw new IOException("interrupted: the output is not published");
            }
            if (Files.exists(target)) {
                old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
                Files.delete(old);
                move(target, old);
            }
            move(staging, target);
            published = true;
            guard.published = true;
        }
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
        try {
            Runtime.getRuntime().removeShutdownHook(cleanUpOnSignal);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway and finds nothing to delete
        }
    }

    /** {@code .NAME.partial-PID-HOST-}: the owner's process id and host, so a later run can tell a stale one. */
    static String stagingPrefix(String name) {
        return "." + name + PARTIAL + ProcessHandle.current().pid() + "-" + host() + "-";
    }

    /**
     * Deletes staging folders of earlier runs for {@code name} whose process no longer runs on this host (killed
     * outright, so their hook never ran). Folders of other hosts, of live processes and of older versions (no
     * process id in the name) are left alone.
     */
    static void removeStaleStaging(Path parent, String name) {
        String prefix = "." + name + PARTIAL;
        String host = host();
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path p : siblings.toList()) {
                String f = p.getFileName().toString();
                if (!f.startsWith(prefix) || !Files.isDirectory(p)) {
                    continue;
                }
                String[] owner = f.substring(prefix.length()).split("-", 3);
                if (owner.length < 3 || !owner[1].equals(host)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(owner[0]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                deleteTree(p);
            }
        } catch (IOException ignored) {
            // best effort: a folder that cannot be listed holds nothing we could delete
        }
    }

    /** This machine's name as used in staging folder names (letters, digits and dots only). */
    static String host() {
        return Host.NAME;
    }

    /** Looked up once: the lookup may ask a name server. */
    private static final class Host {
        static final String NAME = lookUp();
    }

    private static String lookUp() {
        String h;
        try {
            h = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = "localhost";
        }
        String clean = h.replaceAll("[^A-Za-z0-9.]", "");
        return clean.isEmpty() ? "localhost" : clean;
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
