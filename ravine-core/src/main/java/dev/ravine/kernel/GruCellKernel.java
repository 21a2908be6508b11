package dev.ravine.kernel;

/**
 * One GRU time step over a range of batch rows, forward and backward, in one pass over the gates (PyTorch's order
 * r, z, n; see {@code dev.ravine.nn.Gru}). Each element is computed with the same float operations, in the same
 * order, as the separate tensor operations it replaces, so the results are the same bits.
 *
 * <p>Layouts, row-major: the two projections, the saved gates and their gradients are [batch, 3 hidden]; the hidden
 * states are [batch, hidden].
 */
public final class GruCellKernel {
    private GruCellKernel() {}

    /** Rows [from, to): r, z, n = tanh(x_n + r hp_n) and h' = n + z (h - n); keeps the activated gates. */
    public static void forward(float[] inputPart, int ipOff, float[] hiddenPart, int hpOff, float[] h, int hOff, float[] gates,
            float[] next, int hidden, int from, int to) {
        int width = 3 * hidden;
        for (int b = from; b < to; b++) {
            int row = b * width, state = b * hidden, n = row + 2 * hidden;
            for (int j = 0; j < 2 * hidden; j++) gates[row + j] = inputPart[ipOff + row + j] + hiddenPart[hpOff + row + j];
            SigmoidAndTanh.sigmoid(gates, row, gates, row, 2 * hidden); // r and z
            for (int j = 0; j < hidden; j++) gates[n + j] = inputPart[ipOff + n + j] + gates[row + j] * hiddenPart[hpOff + n + j];
            SigmoidAndTanh.tanh(gates, n, gates, n, hidden);
            for (int j = 0; j < hidden; j++) next[state + j] = gates[n + j] + gates[row + hidden + j] * (h[hOff + state + j] - gates[n + j]);
        }
    }

    /**
     * Rows [from, to) of the backward from dh': the gradients of the input projection and of the hidden projection
     * (they differ in the n block, where the reset gate multiplies the hidden one), [batch, 3 hidden], and of h,
     * [batch, hidden]; a null output array is skipped.
     */
    public static void backward(float[] gates, float[] hiddenPart, int hpOff, float[] h, int hOff, float[] gradNext, float[] gradInput,
            float[] gradHidden, float[] gradH, int hidden, int from, int to) {
        int width = 3 * hidden;
        for (int b = from; b < to; b++) {
            int row = b * width, state = b * hidden;
            for (int j = 0; j < hidden; j++) {
                float r = gates[row + j], z = gates[row + hidden + j], n = gates[row + 2 * hidden + j];
                float g = gradNext[state + j];
                float toH = g * z;
                float dz = g * (h[hOff + state + j] - n) * (z * (1f - z));
                float dq = (g - toH) * (1f - n * n);
                float dr = dq * hiddenPart[hpOff + row + 2 * hidden + j] * (r * (1f - r));
                if (gradInput != null) {
                    gradInput[row + j] = dr;
                    gradInput[row + hidden + j] = dz;
                    gradInput[row + 2 * hidden + j] = dq;
                }
                if (gradHidden != null) {
                    gradHidden[row + j] = dr;
                    gradHidden[row + hidden + j] = dz;
                    gradHidden[row + 2 * hidden + j] = dq * r;
                }
                if (gradH != null) gradH[state + j] = toH;
            }
        }
    }
}
