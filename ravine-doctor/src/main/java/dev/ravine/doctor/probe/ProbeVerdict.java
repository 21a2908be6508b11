package dev.ravine.doctor.probe;

/**
 * What a probe says of its hypothesis: the change made the loss behave (confirmed), it did nothing or harm
 * (refuted), or something in between; {@code skipped} when the probe budget had no room for it.
 */
public enum ProbeVerdict {
    CONFIRMED, INCONCLUSIVE, REFUTED, SKIPPED;

    public String id() {
        return name().toLowerCase();
    }
}
