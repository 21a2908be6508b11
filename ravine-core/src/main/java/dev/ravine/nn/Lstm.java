package dev.ravine.nn;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * torch.nn.LSTM: gates in PyTorch's order i, f, g, o,
 * <pre>
 *   i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)     f = sigmoid(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)        o = sigmoid(W_io x + b_io + W_ho h + b_ho)
 *   c' = f * c + i * g                             h' = o * tanh(c')
 * </pre>
 * with zero initial h and c. Batch-first; see {@link Recurrent} for the layout.
 */
public final class Lstm extends Recurrent {
    public Lstm(int inputSize, int hiddenSize, int numLayers, boolean returnSequences, Rng rng) {
        this(inputSize, hiddenSize, numLayers, returnSequences, true, rng);
    }

    public Lstm(int inputSize, int hiddenSize, int numLayers, boolean returnSequences, boolean bias, Rng rng) {
        super(inputSize, hiddenSize, numLayers, 4, returnSequences, bias, rng);
    }

    /** With torch's bidirectional and inter-layer dropout ({@link Recurrent.Options}). */
    public Lstm(int inputSize, int hiddenSize, int numLayers, boolean returnSequences, boolean bias, Options options, Rng rng) {
        super(inputSize, hiddenSize, numLayers, 4, returnSequences, bias, options, rng);
    }

    /**
     * Sets every layer's forget-gate bias so that b_if + b_hf = {@code value} (b_if = value, b_hf = 0), replacing
     * PyTorch's random init of those two slices. A bias of 1 (Gers et al. 2000; Jozefowicz et al. 2015) starts the
     * forget gate near sigmoid(1) = 0.73 instead of 0.5, so the cell state, and the gradient along it, survives many more
     * steps at the start of training: what long sequences need.
     */
    public Lstm withForgetBias(double value) {
        if (!Double.isFinite(value)) throw new IllegalArgumentException("forget_bias must be a finite number, got " + value);
        for (int i = 0; i < numLayers() * (options().bidirectional() ? 2 : 1); i++) {
            String suffix = options().bidirectional() ? (i / 2) + (i % 2 == 1 ? "_reverse" : "") : Integer.toString(i);
            Tensor ih = namedParameters().get("bias_ih_l" + suffix), hh = namedParameters().get("bias_hh_l" + suffix);
            if (ih == null || hh == null) throw new IllegalStateException("forget_bias needs the LSTM's biases (bias: true)");
            float[] a = ih.storage(), b = hh.storage();
            for (int j = hiddenSize(); j < 2 * hiddenSize(); j++) { // gate order i, f, g, o: f is the second block
                a[j] = (float) value;
                b[j] = 0f;
            }
        }
        return this;
    }

    @Override
    protected State initialState(int batch) {
        return new State(Tensor.zeros(batch, hiddenSize()), Tensor.zeros(batch, hiddenSize()));
    }

    @Override
    protected State step(Tensor inputPart, Tensor hiddenPart, State previous) {
        Tensor hc = LstmCell.step(inputPart, hiddenPart, null, null, previous.c());
        return new State(LstmCell.h(hc), LstmCell.c(hc));
    }

    @Override
    protected State step(Tensor inputPart, Tensor hiddenPart, Tensor biasIh, Tensor biasHh, State previous) {
        Tensor hc = LstmCell.step(inputPart, hiddenPart, biasIh, biasHh, previous.c());
        return new State(LstmCell.h(hc), LstmCell.c(hc));
    }

    @Override
    public String kind() {
        return "lstm";
    }
}
