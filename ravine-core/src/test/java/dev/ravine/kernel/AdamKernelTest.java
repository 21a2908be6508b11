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
}
