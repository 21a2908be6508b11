package dev.ravine.nn;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * torch.nn.GRU: gates in PyTorch's order r, z, n,
 * <pre>
 *   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)     z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))  h' = (1 - z) * n + z * h
 * </pre>
 * (the reset gate multiplies the hidden projection including its bias, as in PyTorch and cuDNN), zero initial h.
 * Batch-first; see {@link Recurrent} for the layout.
 */
public final class Gru extends Recurrent {
    public Gru(int inputSize, int hiddenSize, int numLayers, boolean returnSequences, Rng rng) {
        this(inputSize, hiddenSize, numLayers, returnSequences, true, rng);
    }

    public Gru(int inputSize, int hiddenSize, int numLayers, boolean returnSequences, boolean bias, Rng rng) {
        super(inputSize, hiddenSize, numLayers, 3, returnSequences, bias, rng);
    }

    /** With torch's bidirectional and inter-layer dropout ({@link Recurrent.Options}). */
    public Gru(int inputSize, int hiddenSize, int numLayers, boolean returnSequences, boolean bias, Options options, Rng rng) {
        super(inputSize, hiddenSize, numLayers, 3, returnSequences, bias, options, rng);
    }

    @Override
    protected State step(Tensor inputPart, Tensor hiddenPart, State previous) {
        return new State(GruCell.step(inputPart, hiddenPart, previous.h()), null);
    }

    @Override
    public String kind() {
        return "gru";
    }
}
