package io.github.eagle4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The eagle4j version, for provenance and {@code eagle --version}. */
public final class Version {
    private static final String VALUE = load();

    private Version() {
    }

    /** The version string, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when run from unfiltered classes. */
    public static String get() {
        return VALUE;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
