package dev.ravine.app.run;

import dev.ravine.train.StopRequest;

/**
 * When the end-of-run reference networks must be done by. A reference is timed by its own steps rather than predicted
 * from the run's: it starts whenever time is left and counts as not measured when the deadline cuts it short. The run's
 * step time is a poor guide to a reference's: it holds the doctor's per-step instruments and a small model's fixed
 * per-step costs, which do not grow with the parameters, so scaling it by the parameter ratio made a one-unit GRU (17
 * parameters, 75 ms a step with the doctor) predict 58 s for one step of its 64-unit reference (13,121 parameters) and
 * skip it, while the run's own model trained 200 reference steps in 1.5 s. Nor is a reference's own pace over its first
 * steps a guide (they run before the JIT has compiled the new shapes): giving up on that projection after five steps
 * lost three tuning model_bias cases that main finds, on a loaded machine.
 */
final class ReferenceDeadline {
    private final long nanos;

    /** @param nanos the deadline, as System.nanoTime() */
    ReferenceDeadline(long nanos) {
        this.nanos = nanos;
    }

    /** Whether the deadline has come, or a stop was requested (Ctrl-C, SIGTERM). */
    boolean passed() {
        return System.nanoTime() >= nanos || StopRequest.raised();
    }
}
