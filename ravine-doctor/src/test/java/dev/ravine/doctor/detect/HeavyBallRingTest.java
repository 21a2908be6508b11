package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The share of flipped update signs that heavy-ball ringing predicts, against the recursion itself. */
class HeavyBallRingTest {
    /** Flipped pairs among the updates of heavy ball on f(x) = h x^2 / 2 from x = 1 at rest, over {@code steps} steps. */
    private static double simulatedFlips(double beta, double dampening, double lrTimesCurvature, int steps) {
        double x = 1, velocity = 0, previous = Double.NaN;
        int flips = 0, pairs = 0;
        for (int t = 0; t < steps; t++) {
            velocity = beta * velocity + (1 - dampening) * x; // torch: buf = beta buf + (1 - dampening) g, g = h x
            double update = -lrTimesCurvature * velocity;       // lr x buf, h folded into the product
            x += update;
            if (!Double.isNaN(previous)) {
                pairs++;
                if (Math.signum(update) != Math.signum(previous)) flips++;
            }
            previous = update;
            if (Math.max(Math.abs(x), Math.abs(velocity)) < 1e-200) { // the ringing decays as beta^(t/2): rescale the (linear) state
                x *= 1e200;
                velocity *= 1e200;
            }
        }
        return (double) flips / pairs;
    }

    @Test
    void gradientDescentFlipsEveryPairPastLrTimesCurvatureOneAndNoneBelow() {
        assertEquals(1, HeavyBallRing.NONE.flipShare(1.5), 0);
        assertEquals(0, HeavyBallRing.NONE.flipShare(0.5), 0);
        assertEquals(1, simulatedFlips(0, 0, 1.5, 200), 0);
        assertEquals(0, simulatedFlips(0, 0, 0.5, 200), 0);
    }

    @Test
    void underMomentumTheShareIsTheRotationAngleOverPi() {
        // beta 0.8, lr x sharpness 3 (fresh5-ravine-heavy-ball-condition-6000): cos theta = (1.8 - 3) / (2 sqrt 0.8)
        double theta = Math.acos(-1.2 / (2 * Math.sqrt(0.8)));
        HeavyBallRing ring = new HeavyBallRing(0.8, 0);
        assertEquals(theta / Math.PI, ring.flipShare(3), 1e-12);
        assertEquals(0.734, ring.flipShare(3), 1e-3);
        // the recursion's own updates flip at that rate over a long run
        for (double a : new double[] {0.5, 1.0, 1.7, 2.5, 3.0, 3.5}) {
            assertEquals(ring.flipShare(a), simulatedFlips(0.8, 0, a, 20_000), 2e-3, "lr x h = " + a);
        }
        // a quarter turn at lr x h = 1 + beta, where c = 0: half the pairs flip
        assertEquals(0.5, ring.flipShare(1.8), 1e-12);
    }

    @Test
    void realRootsGiveAllOrNoFlipsAndDampeningShortensTheStep() {
        HeavyBallRing ring = new HeavyBallRing(0.5, 0);
        // c = 1.5 - 3.9 = -2.4 <= -2 sqrt 0.5: both roots negative, every step lands on the far side
        assertEquals(1, ring.flipShare(3.9), 0);
        assertEquals(1, simulatedFlips(0.5, 0, 3.9, 400), 0);
        // c = 1.5 - 0.05 >= 2 sqrt 0.5: overdamped, the iterate slides to the floor without crossing it
        assertEquals(0, ring.flipShare(0.05), 0);
        assertEquals(0, simulatedFlips(0.5, 0, 0.05, 400), 0);
        // dampening 0.5 halves the gradient's share of the step: lr x h = 2.6 rings as an undamped 1.3 does
        assertEquals(ring.flipShare(1.3), new HeavyBallRing(0.5, 0.5).flipShare(2.6), 1e-12);
        assertEquals(new HeavyBallRing(0.5, 0.5).flipShare(2.6), simulatedFlips(0.5, 0.5, 2.6, 20_000), 2e-3);
        assertEquals(ring.flipShare(2.6), simulatedFlips(0.5, 0, 2.6, 20_000), 2e-3);
    }

    @Test
    void aMomentumOfOneOrMoreIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HeavyBallRing(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new HeavyBallRing(0.9, 1));
    }
}
