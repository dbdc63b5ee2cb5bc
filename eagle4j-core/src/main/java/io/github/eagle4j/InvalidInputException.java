package io.github.eagle4j;

/**
 * Bad input from the user: a file, a field or an option value that cannot be used. The message names
 * the file or option and what is wrong; the CLI maps it to exit status 2.
 */
public class InvalidInputException extends EagleException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
