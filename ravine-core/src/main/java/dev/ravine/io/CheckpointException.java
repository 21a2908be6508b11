package dev.ravine.io;

/** A checkpoint file is unreadable or does not fit the model; the message says which file or key and why. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
