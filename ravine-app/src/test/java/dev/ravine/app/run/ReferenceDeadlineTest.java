package dev.ravine.app.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A reference is given up by its own measured pace, not by a prediction from the run's step time. */
class ReferenceDeadlineTest {
    private static final long MS = 1_000_000;

    @Test
    void aReferenceWhosePaceEndsPastTheDeadlineIsGivenUpAndOneThatFinishesIsNot() {
        // first step ended at 0; 10 steps done at 90 ms: 10 ms a step, 310 of 320 steps left, 3.1 s to go
        assertTrue(ReferenceDeadline.cannotFinish(90 * MS, 0, 10, 320, 3_000 * MS), "3.19 s needed, 3 s allowed");
        assertFalse(ReferenceDeadline.cannotFinish(90 * MS, 0, 10, 320, 3_300 * MS), "3.19 s needed, 3.3 s allowed");
    }

    @Test
    void theFirstStepsWarmUpIsNotCountedInThePace() {
        // a first step of 2 s (building the net, warming up), then 9 steps of 5 ms: the pace is 5 ms, not 0.2 s
        long firstEnd = 2_000 * MS, now = firstEnd + 45 * MS;
        assertFalse(ReferenceDeadline.cannotFinish(now, firstEnd, 10, 320, now + 2_000 * MS), "1.55 s needed at 5 ms a step");
    }

    @Test
    void nothingIsJudgedBeforeThePaceIsTimedOrAtTheLastStep() {
        // after the first few steps even a very slow pace does not stop it yet
        assertFalse(ReferenceDeadline.cannotFinish(1_000 * MS, 0, ReferenceDeadline.PACE_STEPS, 320, 1_001 * MS));
        assertTrue(ReferenceDeadline.cannotFinish(1_000 * MS, 0, ReferenceDeadline.PACE_STEPS + 1, 320, 1_001 * MS));
        // a reference at its last step has nothing left to project
        assertFalse(ReferenceDeadline.cannotFinish(1_000 * MS, 0, 320, 320, 1_001 * MS));
    }
}
