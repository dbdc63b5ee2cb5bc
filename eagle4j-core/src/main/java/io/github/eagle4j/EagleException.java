package io.github.eagle4j;

/** Base of the library's unchecked exceptions; messages are one line meant for the user. */
public class EagleException extends RuntimeException {
    public EagleException(String message) {
        super(message);
    }

    public EagleException(String message, Throwable cause) {
        super(message, cause);
    }
}
