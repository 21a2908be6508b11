package dev.ravine.doctor.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A convolution map's dead units are its channels: a position silent on every sample still trains its channel's kernel. */
class ActivationProbeTest {
    @Test
    void aChannelIsActiveWhenAnyOfItsPositionsIs() {
        // two channels of 2x2 positions: channel 0 fires at one corner only, channel 1 nowhere
        boolean[] positions = {false, false, false, true, false, false, false, false};
        assertEquals(0.875, ActivationProbe.fraction(positions, false), 1e-12, "seven of eight positions silent");
        boolean[] channels = ActivationProbe.perChannel(positions, 2);
        assertArrayEquals(new boolean[] {true, false}, channels);
        assertEquals(0.5, ActivationProbe.fraction(channels, false), 1e-12, "one of two channels dead");
        // a map silent everywhere is dead either way
        assertEquals(1.0, ActivationProbe.fraction(ActivationProbe.perChannel(new boolean[8], 2), false), 0);
    }
}
