package dev.ravine.app.report;

/** A run folder whose report cannot be made (no run.db, an unreadable file); the message says which and why. */
public final class ReportException extends RuntimeException {
    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
