package io.flhetero.cli;

/** Input the user can fix (a flag that does not fit, a missing file): exit code 2 and one clear message. */
public class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(message);
    }
}
