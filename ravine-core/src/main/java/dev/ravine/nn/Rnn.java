package dev.ravine.nn;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * The Elman (vanilla) recurrent layer of torch.nn.RNN with the tanh nonlinearity:
 * h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh). Batch-first; see {@link Recurrent} for the layout.
 */
public final class Rnn extends Recurrent {
    public Rnn(int inputSize, int hiddenSize, int numLayers, boolean returnSequences, Rng rng) {
        this(inputSize, hiddenSize, numLayers, returnSequences, true, rng);
    }

    public Rnn(int inputSize, int hiddenSize, int numLayers, boolean returnSequences, boolean bias, Rng rng) {
        super(inputSize, hiddenSize, numLayers, 1, returnSequences, bias, rng);
    }

    /** With torch's bidirectional and inter-layer dropout ({@link Recurrent.Options}). */
    public Rnn(int inputSize, int hiddenSize, int numLayers, boolean returnSequences, boolean bias, Options options, Rng rng) {
        super(inputSize, hiddenSize, numLayers, 1, returnSequences, bias, options, rng);
    }

    @Override
    protected State step(Tensor inputPart, Tensor hiddenPart, State previous) {
        return new State(inputPart.add(hiddenPart).tanh(), null);
    }

    @Override
    public String kind() {
        return "rnn";
    }
}
