package dev.ravine.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Empirical statistics of large tensors against torch.nn.init's formulas; orthogonality; identity. */
class InitializersTest {
    private static double[] stats(Tensor t) { // mean, std, max |w|
        float[] d = t.values();
        double s = 0, ss = 0, max = 0;
        for (float v : d) { s += v; ss += (double) v * v; max = Math.max(max, Math.abs(v)); }
        double mean = s / d.length;
        return new double[] {mean, Math.sqrt(ss / d.length - mean * mean), max};
    }

    private static void checkNormal(String name, int out, int in, double std) {
        Tensor w = Tensor.zeros(out, in);
        Initializer.byName(name).initialize(w, new Rng(1));
        double[] s = stats(w);
        assertEquals(0, s[0], 0.02 * std + 1e-4, name + " mean");
        assertEquals(std, s[1], 0.02 * std, name + " std");
    }

    private static void checkUniform(String name, int out, int in, double bound) {
        Tensor w = Tensor.zeros(out, in);
        Initializer.byName(name).initialize(w, new Rng(2));
        double[] s = stats(w);
        assertTrue(s[2] <= bound + 1e-6, name + " within bound " + bound + ": " + s[2]);
        assertTrue(s[2] > 0.99 * bound, name + " reaches the bound");
        assertEquals(bound / Math.sqrt(3), s[1], 0.02 * bound, name + " std");
    }

    @Test
    void xavierHeLecunMatchTheirFormulas() {
        int out = 300, in = 200;
        checkNormal("xavier_normal", out, in, Math.sqrt(2.0 / (in + out)));
        checkUniform("xavier_uniform", out, in, Math.sqrt(6.0 / (in + out)));
        checkNormal("he_normal", out, in, Math.sqrt(2.0 / in));
        checkUniform("he_uniform", out, in, Math.sqrt(6.0 / in));
        checkNormal("kaiming_normal_fan_out", out, in, Math.sqrt(2.0 / out));
        checkUniform("kaiming_uniform_fan_out", out, in, Math.sqrt(6.0 / out));
        checkNormal("lecun_normal", out, in, Math.sqrt(1.0 / in));
        checkUniform("lecun_uniform", out, in, Math.sqrt(3.0 / in));
        checkNormal("normal", out, in, 0.01);
        checkUniform("uniform", out, in, 0.05);
    }

    @Test
    void kaimingWithLeakyReluSlopeAndGain() {
        Tensor w = Tensor.zeros(400, 100);
        Initializer.kaimingNormal(true, "leaky_relu", 0.2).initialize(w, new Rng(3));
        assertEquals(Math.sqrt(2.0 / (1 + 0.04)) / 10, stats(w)[1], 0.002);
        Tensor x = Tensor.zeros(400, 100);
        Initializer.xavierUniform(5.0 / 3).initialize(x, new Rng(3));
        assertTrue(stats(x)[2] <= 5.0 / 3 * Math.sqrt(6.0 / 500) + 1e-6);
    }

    private static void assertGram(Tensor w, boolean rowsOrthonormal, double gain) {
        int r = w.shape()[0], c = w.values().length / r;
        float[] d = w.values();
        int n = rowsOrthonormal ? r : c;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                if (rowsOrthonormal) for (int k = 0; k < c; k++) dot += (double) d[i * c + k] * d[j * c + k];
                else for (int k = 0; k < r; k++) dot += (double) d[k * c + i] * d[k * c + j];
                assertEquals(i == j ? gain * gain : 0, dot, 1e-5, "gram[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void orthogonalGivesOrthonormalColumnsOrRows() {
        Tensor tall = Tensor.zeros(50, 20);
        Initializer.byName("orthogonal").initialize(tall, new Rng(4));
        assertGram(tall, false, 1); // W^T W = I
        Tensor wide = Tensor.zeros(20, 50);
        Initializer.orthogonal(2).initialize(wide, new Rng(5));
        assertGram(wide, true, 2); // W W^T = 4 I
        Tensor square = Tensor.zeros(30, 30);
        Initializer.byName("orthogonal").initialize(square, new Rng(6));
        assertGram(square, false, 1);
        assertGram(square, true, 1);
        Tensor conv = Tensor.zeros(8, 3, 3, 3); // viewed as [8, 27]
        Initializer.byName("orthogonal").initialize(conv, new Rng(7));
        assertGram(conv, true, 1);
    }

    @Test
    void identityAndConstants() {
        Tensor w = Tensor.zeros(3, 3);
        Initializer.byName("identity").initialize(w, new Rng(1));
        assertTrue(java.util.Arrays.equals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, w.values()));
        Initializer.byName("ones").initialize(w, new Rng(1));
        assertEquals(9, stats(w)[0] * 9, 1e-6);
        Initializer.constant(0.5).initialize(w, new Rng(1));
        assertEquals(0.5, w.values()[4]);
        assertThrows(RuntimeException.class, () -> Initializer.byName("identity").initialize(Tensor.zeros(2, 2, 2), new Rng(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Initializer.byName("orthgonal"));
        assertTrue(e.getMessage().contains("orthogonal"), e.getMessage());
    }
}
