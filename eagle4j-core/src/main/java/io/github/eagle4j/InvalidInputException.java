package io.github.eagle4j;

/**
 * Bad input from the user: a file, a field or an option value that cannot be used. The message names
 * the file or input and what is wrong; the CLI maps it to exit status 2.
 *
 * <p>When the bad value is an argument of the library's API, {@link #forInput(String, String)} names it by its API
 * name ({@code labelWord}, {@code targetIndices}); a front end that calls it something else (the CLI's
 * {@code --label}, a manifest's {@code label} field) shows {@link #describedAs(String)} with its own name.
 */
public class InvalidInputException extends EagleException {
    private final String input;
    private final String problem;

    public InvalidInputException(String message) {
        super(message);
        this.input = null;
        this.problem = message;
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
        this.input = null;
        this.problem = message;
    }

    /** A bad value of the API input {@code input}; see {@link #forInput(String, String)}. */
    protected InvalidInputException(String input, String problem, Throwable cause) {
        super(input + problem, cause);
        this.input = input;
        this.problem = problem;
    }

    /**
     * A bad value of the API input {@code input}; the message is {@code input + problem}, so {@code problem} starts
     * with what separates it: {@code forInput("labelWord", " 'x' tokenises to nothing")}.
     */
    public static InvalidInputException forInput(String input, String problem) {
        return new InvalidInputException(input, problem, (Throwable) null);
    }

    /** As {@link #forInput(String, String)}, keeping the exception that revealed the problem. */
    public static InvalidInputException forInput(String input, String problem, Throwable cause) {
        return new InvalidInputException(input, problem, cause);
    }

    /** The API name of the bad input, or {@code null} when the message names what is wrong itself. */
    public String input() {
        return input;
    }

    /** The message with the input called {@code name}; the message itself when no input is named. */
    public String describedAs(String name) {
        return input == null ? getMessage() : name + problem;
    }
}
