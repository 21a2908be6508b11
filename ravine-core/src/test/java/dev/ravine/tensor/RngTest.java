package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RngTest {
    /** split(stream): split() for stream 0, other streams unrelated; either way the parent advances by one draw. */
    @Test
    void splitByStreamDerivesDistinctGeneratorsFromOneState() {
        Rng a = new Rng(9), b = new Rng(9), c = new Rng(9);
        Rng plain = a.split(), zero = b.split(0), one = c.split(1);
        long first = plain.nextLong();
        assertEquals(first, zero.nextLong());
        assertTrue(first != one.nextLong());
        assertArrayEquals(a.state(), c.state(), "the parent moved on by the same one draw");
    }

    @Test
    void nextIntCoversTheWholeRangeUniformly() {
        Rng rng = new Rng(1);
        for (int bound : new int[] {2, 3, 10, 1000}) {
            int[] counts = new int[bound];
            int n = 20_000 * Math.min(bound, 10);
            for (int i = 0; i < n; i++) counts[rng.nextInt(bound)]++;
            double expected = n / (double) bound;
            for (int k = 0; k < bound; k++) {
                // 6 standard deviations of a binomial count
                assertEquals(expected, counts[k], 6 * Math.sqrt(expected) + 1, "bound " + bound + ", value " + k);
            }
        }
    }

    @Test
    void uniformAndNormalHaveTheRightMoments() {
        Rng rng = new Rng(2);
        double sum = 0, sumSq = 0, nSum = 0, nSumSq = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble(), g = rng.nextGaussian();
            assertTrue(u >= 0 && u < 1);
            sum += u;
            sumSq += u * u;
            nSum += g;
            nSumSq += g * g;
        }
        assertEquals(0.5, sum / n, 0.005);
        assertEquals(1.0 / 12, sumSq / n - 0.25, 0.002);
        assertEquals(0, nSum / n, 0.01);
        assertEquals(1, nSumSq / n, 0.01);
    }

    @Test
    void stateRestoresTheExactStream() {
        Rng a = new Rng(3);
        a.nextGaussian(); // leaves a cached normal in the state
        long[] state = a.state();
        double[] expected = {a.nextGaussian(), a.nextDouble(), a.nextInt(7)};
        Rng b = new Rng(99);
        b.restore(state);
        assertArrayEquals(expected, new double[] {b.nextGaussian(), b.nextDouble(), b.nextInt(7)});
    }

    @Test
    void shuffleIsAPermutationAndMovesEveryPositionSometimes() {
        Rng rng = new Rng(4);
        int[] lastPositionCounts = new int[5];
        for (int t = 0; t < 5000; t++) {
            int[] a = {0, 1, 2, 3, 4};
            rng.shuffle(a);
            int[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted);
            lastPositionCounts[a[4]]++;
        }
        for (int c : lastPositionCounts) assertEquals(1000, c, 150);
    }
}
