package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ConfidentLearningTest {
    /** A model that puts probability {@code confidence} on each sample's true class; {@code noise} of the labels flipped. */
    static ConfidentLearning simulate(double noise, double confidence, int classes, long seed) {
        Random rng = new Random(seed);
        int n = 3000;
        float[][] p = new float[n][classes];
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            int truth = rng.nextInt(classes);
            for (int j = 0; j < classes; j++) p[s][j] = (float) ((1 - confidence) / (classes - 1));
            p[s][truth] = (float) confidence;
            labels[s] = rng.nextDouble() < noise ? (truth + 1 + rng.nextInt(classes - 1)) % classes : truth;
        }
        return ConfidentLearning.estimate(p, labels, classes);
    }

    @Test
    void theEstimateRecoversTheFlippedFraction() {
        assertEquals(0.3, simulate(0.3, 0.8, 3, 1).rate(), 0.03);
        assertEquals(0.4, simulate(0.4, 0.7, 10, 2).rate(), 0.03);
        assertEquals(0.0, simulate(0.0, 0.9, 3, 3).rate(), 1e-9);
    }

    @Test
    void anUnderfitModelFindsNoNoiseRatherThanALot() {
        // every class near 1/3: no probability reaches even odds, so nothing is confidently of another class
        ConfidentLearning cl = simulate(0.0, 0.4, 3, 4);
        assertEquals(0, cl.counted());
        assertEquals(0.0, cl.rate());
    }

    @Test
    void aFindingOpensOnlyAboveTheRateAClassOverlapLeaves() {
        assertTrue(LabelNoiseDiagnosis.defaults().decide(simulate(0.3, 0.8, 3, 5), 3000, "the training samples").isPresent());
        assertTrue(LabelNoiseDiagnosis.defaults().decide(simulate(0.05, 0.8, 3, 6), 3000, "the training samples").isEmpty());
    }
}
