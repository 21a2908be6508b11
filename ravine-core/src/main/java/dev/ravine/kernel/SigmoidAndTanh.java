package dev.ravine.kernel;

/**
 * Sigmoid and tanh of one float as the engine computes them everywhere (element-wise ops and the fused recurrent
 * cells alike): in double, rounded once, so a fused kernel gives the same bits as the separate operations.
 */
public final class SigmoidAndTanh {
    private SigmoidAndTanh() {}

    public static float sigmoid(float x) {
        // Two branches so exp never overflows.
        if (x >= 0) return (float) (1 / (1 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1 + e));
    }

    public static float tanh(float x) {
        return (float) Math.tanh(x);
    }
}
