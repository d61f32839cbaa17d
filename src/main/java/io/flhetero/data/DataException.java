package io.flhetero.data;

/**
 * A data set is missing, corrupt or unusable. The message names the file or setting at fault and
 * how to fix it, so callers can show it to the user as is.
 */
public class DataException extends RuntimeException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
