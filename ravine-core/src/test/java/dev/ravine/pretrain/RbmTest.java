package dev.ravine.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Sequential;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

class RbmTest {
    /** A 3-visible, 2-hidden RBM with weights large enough that its conditionals are far from 1/2. */
    static Rbm tiny(VisibleUnits units) {
        float[] w = {1.5f, -2.0f, 0.8f, 1.2f, -1.1f, 2.2f};
        return new Rbm(3, 2, units, w, new float[] {0.3f, -0.5f, 0.1f}, new float[] {-0.4f, 0.6f});
    }

    @Test void bernoulliFreeEnergyIsMinusTheLogOfTheSumOverHiddenStates() {
        TinyRbm exact = new TinyRbm(tiny(VisibleUnits.BERNOULLI));
        for (int vc = 0; vc < 8; vc++) {
            double[] v = TinyRbm.state(vc, 3);
            double sum = 0;
            for (int hc = 0; hc < 4; hc++) sum += Math.exp(-exact.energy(v, TinyRbm.state(hc, 2)));
            float[] vf = {(float) v[0], (float) v[1], (float) v[2]};
            assertEquals(-Math.log(sum), exact.rbm().freeEnergies(vf, 1)[0], 1e-5, "v = " + vc);
        }
    }

    @Test void gaussianFreeEnergyIsMinusTheLogOfTheSumOverHiddenStates() {
        Rbm rbm = tiny(VisibleUnits.GAUSSIAN);
        float[] w = rbm.weights(), b = rbm.visibleBias(), c = rbm.hiddenBias();
        float[][] samples = {{0.5f, -1.3f, 2.0f}, {-0.7f, 0.2f, 0.0f}};
        for (float[] v : samples) {
            double sum = 0;
            for (int hc = 0; hc < 4; hc++) {
                double[] h = TinyRbm.state(hc, 2);
                double energy = 0; // |v - b|^2 / 2 - c.h - v W h
                for (int i = 0; i < 3; i++) energy += 0.5 * (v[i] - b[i]) * (v[i] - b[i]);
                for (int j = 0; j < 2; j++) energy -= c[j] * h[j];
                for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) energy -= v[i] * w[i * 2 + j] * h[j];
                sum += Math.exp(-energy);
            }
            assertEquals(-Math.log(sum), rbm.freeEnergies(v, 1)[0], 1e-5);
        }
    }

    @Test void conditionalsMatchTheEnumeratedOnes() {
        TinyRbm exact = new TinyRbm(tiny(VisibleUnits.BERNOULLI));
        float[] v = {1, 0, 1, 0, 1, 1};
        float[] ph = exact.rbm().hiddenProbabilities(v, 2);
        assertArrayEquals(toFloat(exact.hiddenGivenVisible(new double[] {1, 0, 1})), java.util.Arrays.copyOf(ph, 2), 1e-6f);
        assertArrayEquals(toFloat(exact.hiddenGivenVisible(new double[] {0, 1, 1})), java.util.Arrays.copyOfRange(ph, 2, 4), 1e-6f);
        float[] pv = exact.rbm().visibleMeans(new float[] {1, 0}, 1);
        assertArrayEquals(toFloat(exact.visibleGivenHidden(new double[] {1, 0})), pv, 1e-6f);
        // Gaussian units: the mean is the linear input itself, b + W h
        float[] mean = tiny(VisibleUnits.GAUSSIAN).visibleMeans(new float[] {0, 1}, 1);
        assertArrayEquals(new float[] {0.3f - 2.0f, -0.5f + 1.2f, 0.1f + 2.2f}, mean, 1e-6f);
    }

    @Test void copiedIntoALinearLayerTheNetsHiddenOutputIsTheRbmsHiddenProbabilities() {
        Rng rng = new Rng(3);
        Rbm rbm = new Rbm(5, 3, VisibleUnits.BERNOULLI, rng);
        float[] w = rbm.weights();
        for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextGaussian(); // far from the 0.01 init: errors show
        float[] c = {0.5f, -1f, 2f};
        rbm = new Rbm(5, 3, VisibleUnits.BERNOULLI, w, new float[5], c);
        Linear first = new Linear(5, 3, true, rng);
        Sequential net = new Sequential(first, new Activation(Activation.Kind.SIGMOID), new Linear(3, 2, true, rng));
        rbm.copyTo(first);
        float[] v = new float[4 * 5];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextFloat();
        Tensor hidden = net.layers().get(1).call(first.call(Tensor.of(v, 4, 5)));
        assertArrayEquals(rbm.hiddenProbabilities(v, 4), hidden.toArray(), 1e-6f);
        // W is [visible, hidden], the linear weight [out, in] = W^T
        assertEquals(w[2 * 3 + 1], first.weight().get(1, 2));
    }

    @Test void copyRefusesALinearLayerOfOtherSizes() {
        Rng rng = new Rng(1);
        Rbm rbm = new Rbm(5, 3, VisibleUnits.BERNOULLI, rng);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rbm.copyTo(new Linear(3, 5, true, rng)));
        assertEquals("an RBM 5x3 fits a linear layer with 5 inputs and 3 outputs, got 3 inputs and 5 outputs", e.getMessage());
    }

    @Test void visibleBiasesStartAtTheDataMarginals() {
        Rbm rbm = new Rbm(2, 1, VisibleUnits.BERNOULLI, new Rng(1));
        rbm.fitVisibleBiases(new float[] {1, 1, 1, 1, 0, 1, 1, 1}, 4); // unit 0 on 3/4 of the time, unit 1 always
        assertEquals(Math.log(3), rbm.visibleBias()[0], 1e-6);
        assertEquals(Math.log(0.999 / 0.001), rbm.visibleBias()[1], 1e-3);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
