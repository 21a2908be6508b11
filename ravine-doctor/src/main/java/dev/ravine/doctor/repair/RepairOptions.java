package dev.ravine.doctor.repair;

/**
 * How the doctor repairs a run: at most {@code maxTries} repairs, each lowering the learning rate by {@code lrFactor}
 * when no probe named another change. The points it rolls back to are the run's shared rolling snapshots
 * ({@link dev.ravine.doctor.snapshot.RollingSnapshots}).
 */
public record RepairOptions(int maxTries, double lrFactor) {
    public RepairOptions {
        if (maxTries < 1) throw new IllegalArgumentException("doctor.max_repairs must be >= 1, got " + maxTries);
        if (!(lrFactor > 0 && lrFactor < 1)) throw new IllegalArgumentException("the repair lr factor must be in (0, 1), got " + lrFactor);
    }

    public static RepairOptions defaults() {
        return new RepairOptions(3, 1.0 / 3);
    }
}
