package dev.ravine.doctor.detect;

import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.instrument.StepReading;
import java.util.List;
import java.util.Optional;

/**
 * A rule over a window of instrument readings. Detectors are pure functions: the same readings give the same
 * finding, so each one is unit-tested on made-up readings, and {@code ravine doctor} can re-run them on a stored run.
 */
public interface Detector {
    /** The finding id this detector produces. */
    String id();

    /** @param window readings in step order, the newest last (loss-only readings included) */
    Optional<Finding> examine(List<StepReading> window, RunFacts facts);

    /**
     * The same rule with the curvature readings taken over the window's steps (oldest first; empty when the run
     * measures no curvature). Detectors that use sharpness override this; the others ignore it.
     */
    default Optional<Finding> examine(List<StepReading> window, List<CurvatureReading> curvature, RunFacts facts) {
        return examine(window, facts);
    }

    /**
     * Whether this rule is also examined on loss-only steps (cheap rules over the loss, such as a tenfold growth per
     * step, which must warn before the next full reading); the others wait for full readings.
     */
    default boolean examinesEveryStep() {
        return false;
    }
}
