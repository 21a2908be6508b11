package dev.ravine.kernel;

/**
 * One LSTM time step over a range of batch rows, forward and backward, in one pass over the gates (PyTorch's order
 * i, f, g, o; see {@code dev.ravine.nn.Lstm}). Each element is computed with the same float operations, in the same
 * order, as the separate tensor operations it replaces, so the results are the same bits.
 *
 * <p>Layouts, row-major: the two projections and the saved gates are [batch, 4 hidden]; the cell states and tanh(c')
 * are [batch, hidden]; the output stacks h' over c', [2 batch, hidden].
 */
public final class LstmCellKernel {
    private LstmCellKernel() {}

    /**
     * Rows [from, to): pre = inputPart + hiddenPart, the gates, c' = f c + i g, h' = o tanh(c'). Keeps the activated
     * gates and tanh(c') for the backward. With biases (both or neither, [4 hidden] each), pre = (inputPart + biasIh)
     * + (hiddenPart + biasHh), the order in which separate bias additions would round.
     */
    public static void forward(float[] inputPart, int ipOff, float[] hiddenPart, int hpOff, float[] biasIh, int bihOff,
            float[] biasHh, int bhhOff, float[] c, int cOff, float[] gates, float[] tanhC, float[] hc, int batch, int hidden,
            int from, int to) {
        int width = 4 * hidden, cells = batch * hidden;
        for (int b = from; b < to; b++) {
            int row = b * width, state = b * hidden;
            preActivations(inputPart, ipOff + row, hiddenPart, hpOff + row, biasIh, bihOff, biasHh, bhhOff, gates, row, width);
            SigmoidAndTanh.sigmoid(gates, row, gates, row, 2 * hidden); // i and f
            SigmoidAndTanh.tanh(gates, row + 2 * hidden, gates, row + 2 * hidden, hidden);
            SigmoidAndTanh.sigmoid(gates, row + 3 * hidden, gates, row + 3 * hidden, hidden);
            for (int j = 0; j < hidden; j++) {
                hc[cells + state + j] = gates[row + hidden + j] * c[cOff + state + j] + gates[row + j] * gates[row + 2 * hidden + j];
            }
            SigmoidAndTanh.tanh(hc, cells + state, tanhC, state, hidden);
            for (int j = 0; j < hidden; j++) hc[state + j] = gates[row + 3 * hidden + j] * tanhC[state + j];
        }
    }

    /** One row of pre-activations into gates[row, row + width). */
    private static void preActivations(float[] ip, int ipAt, float[] hp, int hpAt, float[] biasIh, int bihOff, float[] biasHh,
            int bhhOff, float[] gates, int row, int width) {
        if (biasIh == null) {
            for (int j = 0; j < width; j++) gates[row + j] = ip[ipAt + j] + hp[hpAt + j];
        } else {
            for (int j = 0; j < width; j++) {
                gates[row + j] = (ip[ipAt + j] + biasIh[bihOff + j]) + (hp[hpAt + j] + biasHh[bhhOff + j]);
            }
        }
    }

    /**
     * Rows [from, to) of the backward: from dh' and dc' (stacked as the output, [2 batch, hidden]) the gradient of the
     * pre-activations (the same for both projections), [batch, 4 hidden], and of the previous cell state, [batch, hidden].
     */
    public static void backward(float[] gates, float[] tanhC, float[] c, int cOff, float[] gradHc, float[] gradPre, float[] gradC,
            int batch, int hidden, int from, int to) {
        int width = 4 * hidden;
        for (int b = from; b < to; b++) {
            int row = b * width, state = b * hidden;
            for (int j = 0; j < hidden; j++) {
                float i = gates[row + j], f = gates[row + hidden + j], g = gates[row + 2 * hidden + j], o = gates[row + 3 * hidden + j];
                float t = tanhC[state + j];
                float dh = gradHc[state + j];
                float dc = gradHc[batch * hidden + state + j] + dh * o * (1f - t * t);
                gradPre[row + j] = dc * g * (i * (1f - i));
                gradPre[row + hidden + j] = dc * c[cOff + state + j] * (f * (1f - f));
                gradPre[row + 2 * hidden + j] = dc * i * (1f - g * g);
                gradPre[row + 3 * hidden + j] = dh * t * (o * (1f - o));
                if (gradC != null) gradC[state + j] = dc * f;
            }
        }
    }
}
