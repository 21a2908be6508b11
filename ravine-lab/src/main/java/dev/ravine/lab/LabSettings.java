package dev.ravine.lab;

import java.util.List;

/**
 * How big a lab run is: {@link Size#QUICK} (the tests and {@code --quick}: seconds, fewer seeds and steps) or
 * {@link Size#FULL} (minutes on two cores), and the seeds to repeat the experiment with where an effect could be
 * seed noise.
 */
public record LabSettings(Size size, List<Long> seeds) {
    public enum Size { QUICK, FULL }

    public LabSettings {
        if (seeds.isEmpty()) throw new IllegalArgumentException("a lab needs at least one seed");
        seeds = List.copyOf(seeds);
    }

    /** The quick run: seeds 1..3. */
    public static LabSettings quick() {
        return new LabSettings(Size.QUICK, List.of(1L, 2L, 3L));
    }

    /** The full run: seeds 1..10. */
    public static LabSettings full() {
        return new LabSettings(Size.FULL, List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L));
    }

    public boolean quickRun() {
        return size == Size.QUICK;
    }

    /** {@code quick} in a quick run, {@code full} in a full one: a lab's step counts and sweep sizes. */
    public int pick(int quick, int full) {
        return quickRun() ? quick : full;
    }
}
