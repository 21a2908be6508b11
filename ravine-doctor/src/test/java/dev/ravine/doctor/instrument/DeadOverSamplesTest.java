package dev.ravine.doctor.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A reading's dead units are judged over at least 16 samples: one batch when it is that large, several when not. */
class DeadOverSamplesTest {
    /** Four units: unit 3 never fires; units 0-2 fire on one sample in three, each on a different one. */
    private static boolean[] sample(int i) {
        return new boolean[] {i % 3 == 0, i % 3 == 1, i % 3 == 2, false};
    }

    @Test
    void batchesOfOneAreJudgedTogetherUntilTheyHoldSixteenSamples() {
        DeadOverSamples d = new DeadOverSamples(16);
        for (int i = 0; i < 15; i++) {
            d.record(sample(i), 1);
            assertTrue(Double.isNaN(d.deadFraction()), "fewer than 16 samples say nothing yet");
        }
        // on each single sample three of the four units are off; over 16 samples only the one that never fired is dead
        d.record(sample(15), 1);
        assertEquals(0.25, d.deadFraction(), 1e-12);
        for (int i = 16; i < 100; i++) d.record(sample(i), 1);
        assertEquals(0.25, d.deadFraction(), 1e-12, "the window slides: the newest 16 samples");
    }

    @Test
    void aBatchOfSixteenOrMoreIsOneReadingAsBefore() {
        DeadOverSamples d = new DeadOverSamples(16);
        d.record(new boolean[] {true, true, true, true}, 32);
        d.record(new boolean[] {true, false, false, false}, 32);
        assertEquals(0.75, d.deadFraction(), 1e-12, "only the newest batch counts, the earlier one is not mixed in");
    }

    @Test
    void unitsThatStopFiringAreDeadOnceTheSamplesSinceCoverTheWindow() {
        DeadOverSamples d = new DeadOverSamples(16);
        for (int i = 0; i < 8; i++) d.record(new boolean[] {true, true}, 4);
        for (int i = 0; i < 4; i++) d.record(new boolean[] {true, false}, 4);
        assertEquals(0.5, d.deadFraction(), 1e-12, "unit 1 off on the last 16 samples (four batches of four)");
        d.record(new boolean[] {true, true}, 4);
        assertEquals(0.0, d.deadFraction(), 1e-12);
    }
}
