package io.github.eagle4j;

/** A model or server failed while scoring images (not the user's input). */
public class ScoringException extends EagleException {
    public ScoringException(String message) {
        super(message);
    }

    public ScoringException(String message, Throwable cause) {
        super(message, cause);
    }
}
