package dev.ravine.data;

/**
 * A data file or in-memory data set that cannot be used as it is: a missing or malformed file, values that are not
 * numbers, counts that disagree. The message names the file (or data set), the problem and how to fix it, because
 * it is usually shown to the user as it is.
 */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
