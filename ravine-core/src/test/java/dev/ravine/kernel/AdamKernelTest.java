package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Adam's whole-array update (vector body plus scalar tail) gives every element the bits of the one-element (scalar) update. */
class AdamKernelTest {
    @Test
    void vectorBodyAndScalarTailAgreeBitForBit() {
        Random random = new Random(4);
        int n = 1000 + 13; // whole vectors and a tail
        for (boolean amsgrad : new boolean[] {false, true}) {
            for (double beta1 : new double[] {0.9, 0.3}) { // both forms of lerp
                float[] g = new float[n], m = new float[n], v = new float[n], vMax = amsgrad ? new float[n] : null;
                for (int i = 0; i < n; i++) {
                    g[i] = (float) random.nextGaussian();
                    m[i] = (float) random.nextGaussian() * 0.1f;
                    v[i] = (float) Math.abs(random.nextGaussian()) * 0.01f;
                    if (vMax != null) vMax[i] = i % 2 == 0 ? v[i] * 2 : v[i] / 2;
                }
                AdamKernel.Constants k = new AdamKernel.Constants((float) beta1, 0.999f, (float) (1 - beta1), (float) (1 - 0.999), 1.7f, 0.03f, 1e-8f);
                float[] g1 = g.clone(), m1 = m.clone(), v1 = v.clone(), vMax1 = vMax == null ? null : vMax.clone();
                AdamKernel.update(g, m, v, vMax, k);
                for (int i = 0; i < n; i++) {
                    float[] gi = {g1[i]}, mi = {m1[i]}, vi = {v1[i]}, vMaxI = vMax1 == null ? null : new float[] {vMax1[i]};
                    AdamKernel.update(gi, mi, vi, vMaxI, k);
                    g1[i] = gi[0];
                    m1[i] = mi[0];
                    v1[i] = vi[0];
                    if (vMax1 != null) vMax1[i] = vMaxI[0];
                }
                String what = "amsgrad " + amsgrad + ", beta1 " + beta1;
                assertArrayEquals(g1, g, 0f, "update, " + what);
                assertArrayEquals(m1, m, 0f, "first moment, " + what);
                assertArrayEquals(v1, v, 0f, "second moment, " + what);
                if (vMax != null) assertArrayEquals(vMax1, vMax, 0f, "running maximum, " + what);
            }
        }
    }

    /** The fused step (adam, then u = -lr times it, then w += u) against those three passes, and its vector body against its scalar one. */
    @Test
    void fusedStepGivesTheBitsOfUpdateScaleAndAdd() {
        Random random = new Random(9);
        int n = 1000 + 13;
        for (boolean amsgrad : new boolean[] {false, true}) {
            for (double beta1 : new double[] {0.9, 0.3}) {
                float[] g = new float[n], m = new float[n], v = new float[n], w = new float[n], vMax = amsgrad ? new float[n] : null;
                for (int i = 0; i < n; i++) {
                    g[i] = (float) random.nextGaussian();
                    m[i] = (float) random.nextGaussian() * 0.1f;
                    v[i] = (float) Math.abs(random.nextGaussian()) * 0.01f;
                    w[i] = (float) random.nextGaussian();
                    if (vMax != null) vMax[i] = i % 2 == 0 ? v[i] * 2 : v[i] / 2;
                }
                AdamKernel.Constants k = new AdamKernel.Constants((float) beta1, 0.999f, (float) (1 - beta1), (float) (1 - 0.999), 1.7f, 0.03f, 1e-8f);
                float factor = -3.7e-3f;
                // the three passes
                float[] u0 = g.clone(), m0 = m.clone(), v0 = v.clone(), w0 = w.clone(), vMax0 = vMax == null ? null : vMax.clone();
                AdamKernel.update(u0, m0, v0, vMax0, k);
                for (int i = 0; i < n; i++) {
                    u0[i] *= factor;
                    w0[i] += u0[i];
                }
                // fused over the whole arrays (vector body and tail), and one element at a time (scalar body)
                float[] g1 = g.clone(), u1 = new float[n], m1 = m.clone(), v1 = v.clone(), w1 = w.clone(), vMax1 = vMax == null ? null : vMax.clone();
                AdamKernel.step(g1, m1, v1, vMax1, k, factor, u1, w1);
                float[] u2 = new float[n], m2 = m.clone(), v2 = v.clone(), w2 = w.clone(), vMax2 = vMax == null ? null : vMax.clone();
                for (int i = 0; i < n; i++) {
                    float[] mi = {m2[i]}, vi = {v2[i]}, wi = {w2[i]}, ui = new float[1], vMaxI = vMax2 == null ? null : new float[] {vMax2[i]};
                    AdamKernel.step(new float[] {g[i]}, mi, vi, vMaxI, k, factor, ui, wi);
                    m2[i] = mi[0];
                    v2[i] = vi[0];
                    w2[i] = wi[0];
                    u2[i] = ui[0];
                    if (vMax2 != null) vMax2[i] = vMaxI[0];
                }
                String what = "amsgrad " + amsgrad + ", beta1 " + beta1;
                assertArrayEquals(g, g1, 0f, "the gradient is read only, " + what);
                for (float[][] got : new float[][][] {{u1, m1, v1, w1, vMax1}, {u2, m2, v2, w2, vMax2}}) {
                    assertArrayEquals(u0, got[0], 0f, "update, " + what);
                    assertArrayEquals(m0, got[1], 0f, "first moment, " + what);
                    assertArrayEquals(v0, got[2], 0f, "second moment, " + what);
                    assertArrayEquals(w0, got[3], 0f, "weights, " + what);
                    if (vMax != null) assertArrayEquals(vMax0, got[4], 0f, "running maximum, " + what);
                }
            }
        }
    }
}
