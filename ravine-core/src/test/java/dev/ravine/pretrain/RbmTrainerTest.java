package dev.ravine.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbmTrainerTest {
    /** 400 noisy copies of 4 binary 20-bit prototypes (each bit flipped with probability 0.05). */
    private static float[] prototypes(Rng rng, int n) {
        float[][] protos = new float[4][20];
        for (float[] p : protos) for (int i = 0; i < 20; i++) p[i] = rng.nextFloat() < 0.5f ? 1 : 0;
        float[] data = new float[n * 20];
        for (int r = 0; r < n; r++) {
            float[] p = protos[rng.nextInt(4)];
            for (int i = 0; i < 20; i++) data[r * 20 + i] = rng.nextFloat() < 0.05f ? 1 - p[i] : p[i];
        }
        return data;
    }

    @Test void reconstructionErrorFallsOnBinaryData() {
        Rng rng = new Rng(1);
        float[] data = prototypes(rng, 400);
        float[] heldOut = prototypes(new Rng(1), 100); // same prototypes (same first draws), other noise
        Rbm rbm = new Rbm(20, 8, VisibleUnits.BERNOULLI, rng);
        List<RbmEpoch> seen = new ArrayList<>();
        List<RbmEpoch> epochs = new RbmTrainer(new RbmOptions(1, false, 8, 0.1, 0.5, 1e-4, 20))
                .train(rbm, data, 400, heldOut, 100, rng, seen::add);
        assertEquals(epochs, seen);
        assertEquals(8, epochs.size());
        double first = epochs.getFirst().reconstructionError(), last = epochs.getLast().reconstructionError();
        assertTrue(last < 0.5 * first, "reconstruction error " + first + " -> " + last);
        // learning lowers the free energy of data-like vectors
        assertTrue(epochs.getLast().trainFreeEnergy() < epochs.getFirst().trainFreeEnergy());
        assertTrue(Double.isFinite(epochs.getLast().heldOutFreeEnergy()));
    }

    /** PCD sits on the plateau of the untrained RBM for a few epochs before its hidden units specialise. */
    @Test void persistentCdAlsoLearns() {
        Rng rng = new Rng(2);
        float[] data = prototypes(rng, 400);
        Rbm rbm = new Rbm(20, 8, VisibleUnits.BERNOULLI, rng);
        List<RbmEpoch> epochs = new RbmTrainer(new RbmOptions(1, true, 20, 0.1, 0.5, 0, 20))
                .train(rbm, data, 400, null, 0, rng, null);
        assertTrue(epochs.getLast().reconstructionError() < 0.5 * epochs.getFirst().reconstructionError(),
                epochs.getFirst().reconstructionError() + " -> " + epochs.getLast().reconstructionError());
        assertTrue(Double.isNaN(epochs.getLast().heldOutFreeEnergy()));
    }

    @Test void gaussianVisibleUnitsLearnStandardizedRealData() {
        // two clusters at +-1.5 in 10 dimensions plus unit noise, then learned from 300 samples
        Rng rng = new Rng(3);
        float[] data = new float[300 * 10];
        for (int r = 0; r < 300; r++) {
            float centre = rng.nextFloat() < 0.5f ? 1.5f : -1.5f;
            for (int i = 0; i < 10; i++) data[r * 10 + i] = (float) (centre * (i % 2 == 0 ? 1 : -1) + 0.3 * rng.nextGaussian());
        }
        Rbm rbm = new Rbm(10, 4, VisibleUnits.GAUSSIAN, rng);
        List<RbmEpoch> epochs = new RbmTrainer(new RbmOptions(1, false, 10, 0.01, 0.5, 0, 10))
                .train(rbm, data, 300, null, 0, rng, null);
        assertTrue(epochs.getLast().reconstructionError() < 0.5 * epochs.getFirst().reconstructionError(),
                epochs.getFirst().reconstructionError() + " -> " + epochs.getLast().reconstructionError());
    }

    @Test void theSameSeedTrainsTheSameWeights() {
        float[] data = prototypes(new Rng(4), 100);
        Rbm a = new Rbm(20, 5, VisibleUnits.BERNOULLI, new Rng(5));
        Rbm b = new Rbm(20, 5, VisibleUnits.BERNOULLI, new Rng(5));
        RbmOptions o = new RbmOptions(2, true, 2, 0.1, 0.5, 0, 16);
        new RbmTrainer(o).train(a, data, 100, null, 0, new Rng(6), null);
        new RbmTrainer(o).train(b, data, 100, null, 0, new Rng(6), null);
        assertArrayEquals(a.weights(), b.weights());
    }

    @Test void aNonFiniteInputStopsTrainingWhereItAppears() {
        float[] data = prototypes(new Rng(4), 40);
        data[25 * 20 + 3] = Float.NaN;
        Rbm rbm = new Rbm(20, 5, VisibleUnits.BERNOULLI, new Rng(5));
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> new RbmTrainer(new RbmOptions(1, false, 1, 0.1, 0, 0, 40))
                .train(rbm, data, 40, null, 0, new Rng(6), null));
        assertTrue(e.getMessage().startsWith("RBM 20x5: the reconstruction error became NaN in epoch 1 at sample 0"), e.getMessage());
    }
}
