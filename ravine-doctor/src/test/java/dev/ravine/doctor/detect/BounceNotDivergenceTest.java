package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Refutation;
import dev.ravine.doctor.finding.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A closed divergence with a ravine read after it and a run that ended below its start was the ravine's bounce. */
class BounceNotDivergenceTest {
    private static Finding finding(String id, Severity severity, long first, long last) {
        return new Finding(id, id, severity, first, last, List.of(), List.of("evidence"), "cause", List.of());
    }

    // fresh5-ravine-heavy-ball-condition-6000 at seed 2: diverging over steps 1-40, a ravine read at step 76, first loss
    // 1.16, the last 60 losses' median 1.046
    private static final Finding DIVERGING = finding("lr_too_high", Severity.BLOCKING, 1, 40);
    private static final Finding RAVINE = finding("ravine", Severity.WARNING, 9, 76);

    @Test
    void aClosedRiseWithARavineReadAfterItAndAnEndBelowTheStartIsTheRavinesBounce() {
        Refutation r = BounceNotDivergence.judge(DIVERGING, false, RAVINE, 1.16, 1.046).orElseThrow();
        assertEquals("lr_too_high", r.findingId());
        assertTrue(r.evidence().getFirst().contains("0.9017x its first loss"), r.evidence()::toString);
        Finding demoted = r.applyTo(DIVERGING);
        assertEquals(Severity.INFO, demoted.severity());
    }

    @Test
    void theDivergenceStandsWhenAnyPartOfTheContradictionIsMissing() {
        // still open at the end: the loss is still up
        assertTrue(BounceNotDivergence.judge(DIVERGING, true, RAVINE, 1.16, 1.046).isEmpty());
        // the run ended at or above its start: the rise did not come back
        assertTrue(BounceNotDivergence.judge(DIVERGING, false, RAVINE, 1.16, 1.2).isEmpty());
        // no ravine, or one refuted (INFO), or one read only during the rise
        assertTrue(BounceNotDivergence.judge(DIVERGING, false, null, 1.16, 1.046).isEmpty());
        assertTrue(BounceNotDivergence.judge(DIVERGING, false, finding("ravine", Severity.INFO, 9, 76), 1.16, 1.046).isEmpty());
        assertTrue(BounceNotDivergence.judge(DIVERGING, false, finding("ravine", Severity.WARNING, 9, 30), 1.16, 1.046).isEmpty());
        // an lr_too_high that claims no rise (WARNING: an oscillation, a bounce beyond the edge) is not judged here
        assertTrue(BounceNotDivergence.judge(finding("lr_too_high", Severity.WARNING, 1, 40), false, RAVINE, 1.16, 1.046).isEmpty());
        // an unknown start judges nothing
        assertTrue(BounceNotDivergence.judge(DIVERGING, false, RAVINE, Double.NaN, 1.046).isEmpty());
    }
}
