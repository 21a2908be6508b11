package dev.ravine.app.store;

import java.time.Instant;

/**
 * One row of run.db's {@code events}: what happened, when, and at which step (null when not at a step).
 *
 * @param subject the finding id (finding and repair events) or the status (run events)
 * @param detail  a finding's title, a repair's remedy, an end's reason; may be null
 */
public record RunEvent(long seq, Instant at, Long step, String kind, String subject, String detail) {
    public static final String RUN_STARTED = "run_started";
    public static final String FINDING_OPENED = "finding_opened";
    public static final String FINDING_CLOSED = "finding_closed";
    public static final String REPAIR = "repair";
    public static final String RUN_ENDED = "run_ended";
}
