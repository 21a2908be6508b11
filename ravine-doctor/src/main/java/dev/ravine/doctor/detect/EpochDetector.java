package dev.ravine.doctor.detect;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.train.EpochEvent;
import java.util.List;
import java.util.Optional;

/**
 * A rule over the epochs seen so far (training and validation loss per epoch), for what a window of steps cannot
 * show, such as overfitting. Pure functions like {@link Detector}: the same epochs give the same finding.
 */
public interface EpochDetector {
    /** The finding id this detector produces. */
    String id();

    /** @param epochs every epoch so far, in order, the newest last */
    Optional<Finding> examine(List<EpochEvent> epochs, RunFacts facts);
}
