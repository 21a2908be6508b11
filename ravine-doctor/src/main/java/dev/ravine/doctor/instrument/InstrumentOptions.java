package dev.ravine.doctor.instrument;

/**
 * How often the instruments read the run. The loss and its finiteness are read every step (free); norms, ratios
 * and activation statistics every {@code every} steps, which keeps their cost a small fraction of a step
 * (bench/README.md has the measured overhead). Dead units are judged over the last {@code deadWindow} readings.
 */
public record InstrumentOptions(int every, int deadWindow) {
    public InstrumentOptions {
        if (every < 1) throw new IllegalArgumentException("instruments.every must be >= 1, got " + every);
        if (deadWindow < 1) throw new IllegalArgumentException("instruments.dead_window must be >= 1, got " + deadWindow);
    }

    public static InstrumentOptions defaults() {
        return new InstrumentOptions(10, 20);
    }

    boolean isReadingStep(long step) {
        return step % every == 0 || step == 1;
    }
}
