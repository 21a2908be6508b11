package dev.ravine.app.run;

import dev.ravine.train.StopRequest;

/**
 * When the end-of-run reference networks must be done by, and whether one of them can still finish: each reference is
 * timed by its own steps, not predicted from the run's. The run's step time is a poor guide to a reference's: it holds
 * the doctor's per-step instruments and a small model's fixed per-step costs, which do not grow with the parameters, so
 * scaling it by the parameter ratio made a one-unit GRU (17 parameters, 75 ms a step with the doctor) predict 58 s for
 * one step of its 64-unit reference (13,121 parameters) and skip it, while the run's own 17-parameter model trained
 * 200 reference steps in 1.5 s. So a reference starts whenever time is left, and after its first
 * {@value #PACE_STEPS} steps its measured pace (from the end of its first step, which also builds and warms up the
 * network) is projected over the steps it has left: when that would end past the deadline it is given up at once, as
 * not measured, leaving the time to the next reference instead of running until the deadline cuts it.
 */
final class ReferenceDeadline {
    /** Steps timed before a reference's pace is trusted (the first one, with its warm-up, is not counted). */
    static final int PACE_STEPS = 5;

    private final long nanos;

    ReferenceDeadline(long nanos) {
        this.nanos = nanos;
    }

    /** The deadline, as System.nanoTime(). */
    long nanos() {
        return nanos;
    }

    boolean passed() {
        return System.nanoTime() >= nanos || StopRequest.raised();
    }

    /** The clock of one reference run of {@code steps} steps. */
    Pace pace(long steps) {
        return new Pace(steps);
    }

    /** Counts one reference's steps and says when it must stop: past the deadline, or when its pace cannot reach its end. */
    final class Pace {
        private final long steps;
        private long done;
        private long firstStepEnd;

        private Pace(long steps) {
            this.steps = steps;
        }

        /** Called after each step; true when the reference must stop short (it is then not measured). */
        boolean stepDone() {
            long now = System.nanoTime();
            if (++done == 1) firstStepEnd = now;
            return passed() || cannotFinish(now, firstStepEnd, done, steps, nanos);
        }
    }

    /**
     * Whether a reference that has taken {@code done} of its {@code steps} steps, its first ending at {@code firstStepEnd},
     * would end past {@code deadline} at the pace of its steps since then; false until {@value #PACE_STEPS} steps are timed.
     */
    static boolean cannotFinish(long now, long firstStepEnd, long done, long steps, long deadline) {
        if (done <= PACE_STEPS || done >= steps) return false;
        double perStep = (double) (now - firstStepEnd) / (done - 1);
        return now + perStep * (steps - done) > deadline;
    }
}
