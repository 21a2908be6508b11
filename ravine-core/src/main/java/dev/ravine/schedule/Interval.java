package dev.ravine.schedule;

import java.util.Locale;

/** How often a schedule ticks: after every optimizer step (batch) or after every epoch. */
public enum Interval {
    STEP, EPOCH;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Interval parse(String id) {
        for (Interval i : values()) if (i.id().equals(id)) return i;
        throw new IllegalArgumentException("unknown interval '" + id + "'; valid: step, epoch");
    }
}
