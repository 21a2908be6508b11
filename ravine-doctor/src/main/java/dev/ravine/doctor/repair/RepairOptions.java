package dev.ravine.doctor.repair;

/**
 * How the doctor repairs a run: at most {@code maxTries} repairs, a rolling in-memory checkpoint every
 * {@code snapshotEvery} steps (the last {@code keep} are held), and the learning-rate factor applied by each repair.
 */
public record RepairOptions(int maxTries, int snapshotEvery, int keep, double lrFactor) {
    public RepairOptions {
        if (maxTries < 1) throw new IllegalArgumentException("doctor.max_repairs must be >= 1, got " + maxTries);
        if (snapshotEvery < 1) throw new IllegalArgumentException("doctor.snapshot_every must be >= 1, got " + snapshotEvery);
        if (keep < 1) throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        if (!(lrFactor > 0 && lrFactor < 1)) throw new IllegalArgumentException("the repair lr factor must be in (0, 1), got " + lrFactor);
    }

    public static RepairOptions defaults() {
        return new RepairOptions(3, 50, 3, 1.0 / 3);
    }
}
