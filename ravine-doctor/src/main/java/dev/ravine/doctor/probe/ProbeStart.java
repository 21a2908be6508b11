package dev.ravine.doctor.probe;

/**
 * Where a probe and its control start. From the rolling snapshot taken before the trouble began, both see exactly the
 * run's next batches with the run's weights and optimizer state: right for a change of the step (learning rate,
 * clipping). From the run's start, both are fresh networks drawn from the run's seed: right for a change the trained
 * weights were not made for (the data's scale or order, a layer, the initialization, a wider or deeper net).
 */
public enum ProbeStart {
    SNAPSHOT, RUN_START;

    /** snapshot | run_start, as run.db's probes table writes it. */
    public String id() {
        return name().toLowerCase();
    }
}
