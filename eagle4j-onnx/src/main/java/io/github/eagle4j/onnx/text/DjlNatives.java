package io.github.eagle4j.onnx.text;

/**
 * Keeps DJL's tokenizer library off the network. DJL extracts the bundled CPU build of its Rust tokenizers
 * library from the jar, but on a machine with CUDA it would pick a CUDA "flavor" and download that build from
 * {@code publish.djl.ai}. Pinning {@code RUST_FLAVOR=cpu} (a system property DJL reads like its environment
 * variable) makes it always use the bundled build; a user's own {@code RUST_FLAVOR}, {@code RUST_LIBRARY_PATH}
 * or offline setting is left alone. Tokenizer loading through a path or stream never calls DJL's telemetry.
 */
final class DjlNatives {
    private static volatile boolean prepared;

    private DjlNatives() {
    }

    /** Call before the first use of a DJL tokenizer class. */
    static void prepare() {
        if (prepared) {
            return;
        }
        synchronized (DjlNatives.class) {
            if (!prepared) {
                if (isUnset("RUST_FLAVOR") && isUnset("RUST_LIBRARY_PATH")) {
                    System.setProperty("RUST_FLAVOR", "cpu");
                }
                prepared = true;
            }
        }
    }

    private static boolean isUnset(String key) {
        String env = System.getenv(key);
        String prop = System.getProperty(key);
        return (env == null || env.isEmpty()) && (prop == null || prop.isEmpty());
    }
}
