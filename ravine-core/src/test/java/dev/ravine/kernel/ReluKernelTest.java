package dev.ravine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReluKernelTest {
    @Test
    void forwardAndBackwardMatchTheDefinitionIncludingNaNAndTails() {
        int n = 1000 + 7; // not a multiple of any vector length
        float[] x = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i * 1.3) * 3;
            g[i] = (float) Math.cos(i * 0.7);
        }
        x[5] = Float.NaN;
        x[n - 1] = Float.NaN;
        x[17] = 0f;
        float[] y = new float[n], dx = new float[n];
        ReluKernel.forward(x, y, 3, n);
        ReluKernel.backward(g, x, dx, 3, n);
        for (int i = 0; i < 3; i++) assertEquals(0f, y[i], "outside the range nothing is written");
        for (int i = 3; i < n; i++) {
            float expected = Float.isNaN(x[i]) ? Float.NaN : (x[i] > 0 ? x[i] : 0f);
            assertEquals(expected, y[i], "relu at " + i);
            assertEquals(x[i] > 0 ? g[i] : 0f, dx[i], "relu backward at " + i);
        }
    }
}
