package dev.ravine.lab.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LossMatchTest {
    private static LossMatch.Reading at(long step, double loss, double value) {
        return new LossMatch.Reading(step, loss, new double[] {value});
    }

    @Test
    void pairsEachRunsFirstReadingAtOrBelowALevelBothReached() {
        // a falls fast, b slowly; b never gets below 1.2, so level 1.0 has no pair.
        List<LossMatch.Reading> a = List.of(at(0, 2.3, 10), at(8, 1.4, 20), at(16, 0.9, 30));
        List<LossMatch.Reading> b = List.of(at(0, 2.3, 1), at(8, 2.0, 2), at(16, 1.6, 3), at(24, 1.2, 4));
        List<LossMatch.Pair> pairs = LossMatch.pairs(a, b, new double[] {2.0, 1.5, 1.0});
        assertEquals(2, pairs.size());
        assertSame(a.get(1), pairs.get(0).a(), "a's first reading at or below 2.0 is the one at loss 1.4");
        assertSame(b.get(1), pairs.get(0).b(), "a level is reached at equality");
        assertSame(a.get(1), pairs.get(1).a(), "a fell past 2.0 and 1.5 between two readings: the same reading for both");
        assertSame(b.get(3), pairs.get(1).b());
        assertEquals(20, LossMatch.mean(pairs, true, 0), 1e-12);
        assertEquals(3, LossMatch.mean(pairs, false, 0), 1e-12);
        assertEquals((2.0 + 1.2) / 2, LossMatch.meanLoss(pairs, false), 1e-12);
    }

    @Test
    void aDivergedReadingMatchesNoLevelAndNoPairsMeanNaN() {
        List<LossMatch.Reading> a = List.of(at(0, Double.NaN, 1));
        List<LossMatch.Reading> b = List.of(at(0, 0.1, 1));
        List<LossMatch.Pair> pairs = LossMatch.pairs(a, b, new double[] {2.0});
        assertTrue(pairs.isEmpty());
        assertTrue(Double.isNaN(LossMatch.mean(pairs, true, 0)));
        assertTrue(Double.isNaN(LossMatch.meanLoss(pairs, true)));
    }
}
