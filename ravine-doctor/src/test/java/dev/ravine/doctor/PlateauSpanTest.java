package dev.ravine.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A flat stretch must span 60 steps, or half a shorter run: a span longer than the run is never seen. */
class PlateauSpanTest {
    private static final PlateauWatch.Options DEFAULTS = PlateauWatch.Options.defaults();

    @Test
    void aShortRunsStretchSpansHalfOfIt() {
        // fresh4-ravine-cosine-sgd-condition-2000: 30 full-batch steps, flat from step 12
        PlateauWatch.Options shortRun = PlateauSpan.forRun(DEFAULTS, 30);
        assertEquals(15, shortRun.flatSteps());
        assertTrue(shortRun.flatSteps() + shortRun.updates() <= 30, "the stretch and the analysis' updates fit in the run");
        assertEquals(DEFAULTS.flatTolerance(), shortRun.flatTolerance());
        assertEquals(DEFAULTS.highFraction(), shortRun.highFraction());
        assertEquals(DEFAULTS.updates(), shortRun.updates());
    }

    @Test
    void aLongRunKeepsTheDefaultSpanAndATinyOneTheShortest() {
        assertEquals(60, PlateauSpan.forRun(DEFAULTS, 4000).flatSteps());
        assertEquals(60, PlateauSpan.forRun(DEFAULTS, 120).flatSteps());
        assertEquals(59, PlateauSpan.forRun(DEFAULTS, 119).flatSteps());
        assertEquals(PlateauSpan.SHORTEST, PlateauSpan.forRun(DEFAULTS, 12).flatSteps());
        assertEquals(60, PlateauSpan.forRun(DEFAULTS, 0).flatSteps(), "length unknown: the default");
    }
}
