package dev.ravine.train;

/**
 * The process's one request to stop, raised by a signal handler (Ctrl-C, SIGTERM) on its own thread. A
 * {@link Trainer} ends at its next step boundary once it is raised (status STOPPED, with a final checkpoint); long
 * analyses between steps (Hessian-vector products, reference trainings) call {@link #throwIfRaised} as they go, so a
 * stop never waits for one to finish. It is process-wide because signals are.
 */
public final class StopRequest {
    private static volatile String reason;

    private StopRequest() {}

    /** Thrown out of an analysis abandoned because a stop was requested; its caller drops the analysis. */
    public static final class Raised extends RuntimeException {
        Raised(String reason) {
            super(reason, null, false, false);
        }
    }

    public static void raise(String why) {
        reason = why;
    }

    public static boolean raised() {
        return reason != null;
    }

    /** Why the stop was requested, or null. */
    public static String reason() {
        return reason;
    }

    /** Withdraws the request: a new run in the same process (tests, ensembles after a handled stop) starts clean. */
    public static void clear() {
        reason = null;
    }

    public static void throwIfRaised() {
        String r = reason;
        if (r != null) throw new Raised(r);
    }
}
