package dev.ravine.doctor.detect;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Refutation;
import java.util.Optional;

/**
 * An end-of-run rule that checks an open finding's claimed harm against what the run did ({@link RunRecord}): a
 * finding raised early (at step 0 from the data) names a consequence that only the finished run can show or
 * contradict. Pure, like the detectors: the same finding and record give the same answer.
 */
public interface Refuter {
    /** The finding id this rule judges. */
    String findingId();

    /** The refutation of {@code f} when the record contradicts its harm; empty when the harm stands or cannot be judged. */
    Optional<Refutation> refute(Finding f, RunRecord record);
}
