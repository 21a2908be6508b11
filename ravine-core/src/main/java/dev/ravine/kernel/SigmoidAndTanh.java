package dev.ravine.kernel;

/**
 * Sigmoid and tanh over ranges of arrays, as the engine computes them everywhere (the element-wise operations and
 * the fused recurrent cells alike), so a fused kernel gives the same bits as the separate operations. With the Vector
 * API they are polynomial approximations in exactly rounded vector arithmetic ({@link VectorSigmoidAndTanh}: within
 * 3 ulp, the same bits whether the JIT compiler has compiled the loop or not), the tail of a range through a lane
 * mask so that every element's result depends on its value only, never on where it falls in a range (results stay
 * independent of the thread count). Without the Vector API, Math in double, rounded once.
 */
public final class SigmoidAndTanh {
    private static final boolean VECTOR = Gemm.implementation().startsWith("vector");

    private SigmoidAndTanh() {}

    /** out[outOff + i] = sigmoid(x[xOff + i]) for i in [0, n); x and out may be the same array. */
    public static void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        if (VECTOR) VectorSigmoidAndTanh.sigmoid(x, xOff, out, outOff, n);
        else for (int i = 0; i < n; i++) out[outOff + i] = sigmoid(x[xOff + i]);
    }

    /** out[outOff + i] = tanh(x[xOff + i]) for i in [0, n); x and out may be the same array. */
    public static void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        if (VECTOR) VectorSigmoidAndTanh.tanh(x, xOff, out, outOff, n);
        else for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.tanh(x[xOff + i]);
    }

    private static float sigmoid(float x) {
        // Two branches so exp never overflows.
        if (x >= 0) return (float) (1 / (1 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1 + e));
    }
}
