package dev.ravine.app.store;

/** The run database could not be created or written (disk full, permissions); the message says which operation. */
public final class RunStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
