package dev.ravine.app.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A reference is cut by the deadline itself, whatever its size: no prediction skips it before it starts. */
class ReferenceDeadlineTest {
    @Test
    void theDeadlineHasPassedOnlyOnceItsTimeHasCome() throws InterruptedException {
        assertFalse(new ReferenceDeadline(System.nanoTime() + 60_000_000_000L).passed(), "a minute to go");
        ReferenceDeadline soon = new ReferenceDeadline(System.nanoTime() + 20_000_000L);
        Thread.sleep(40);
        assertTrue(soon.passed(), "20 ms after 20 ms to go");
    }
}
