package io.github.eagle4j.openai;

import io.github.eagle4j.InvalidInputException;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An API key read from an environment variable. Its value leaves this class only as the {@code Authorization} header
 * of a request; {@link #toString()} never shows it, and {@link #redact} removes it from any text a server sends back
 * before that text reaches a message.
 */
final class Secret {
    private final String envName;
    private final String value;

    private Secret(String envName, String value) {
        this.envName = envName;
        this.value = value;
    }

    /**
     * Reads the key named by {@code envName}; {@code null} when no variable is named.
     *
     * @throws InvalidInputException naming the variable (never its value) when it is unset or blank
     */
    static Secret fromEnvironment(String envName, UnaryOperator<String> environment) {
        if (envName == null) {
            return null;
        }
        String v = environment.apply(envName);
        if (v == null || v.isBlank()) {
            throw InvalidInputException.forInput(ServerSettings.API_KEY_ENV, " " + envName + ": the environment variable " + envName
                    + " is not set");
        }
        if (v.strip().chars().anyMatch(c -> c < 0x21 || c > 0x7E)) {
            throw InvalidInputException.forInput(ServerSettings.API_KEY_ENV, " " + envName + ": the key in " + envName
                    + " has characters an HTTP header cannot carry");
        }
        return new Secret(envName, v.strip());
    }

    /** The variable the key came from, for messages. */
    String envName() {
        return envName;
    }

    /** The header value {@code Bearer KEY}. */
    String bearer() {
        return "Bearer " + value;
    }

    /** {@code text} with every occurrence of the key replaced by {@code ***}. */
    String redact(String text) {
        return text == null ? null : text.replace(value, "***");
    }

    /** {@code text} with the key of {@code secret} redacted; {@code text} as is when there is no key. */
    static String redact(Secret secret, String text) {
        return secret == null ? text : secret.redact(text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.envName.equals(envName) && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(envName);
    }

    @Override
    public String toString() {
        return "Secret[$" + envName + "]";
    }
}
