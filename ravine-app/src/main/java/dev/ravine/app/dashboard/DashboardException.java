package dev.ravine.app.dashboard;

/** A dashboard that cannot start for a reason the user can fix (a folder that does not exist, a port in use): exit code 2. */
public final class DashboardException extends RuntimeException {
    public DashboardException(String message, Throwable cause) {
        super(message, cause);
    }
}
