package dev.ravine.nn;

import dev.ravine.init.Init;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared part of {@link Rnn}, {@link Lstm} and {@link Gru}: PyTorch's parameter layout and initialization, the
 * batch-first input [batch, seq, features], stacked layers, a zero initial state, and the loop over time steps.
 *
 * <p>Layer k holds {@code weight_ih_l{k}} [gates * hidden, in_k], {@code weight_hh_l{k}} [gates * hidden, hidden],
 * {@code bias_ih_l{k}} and {@code bias_hh_l{k}} [gates * hidden] (in_0 = features, in_k = hidden after), all drawn
 * from U(-1/sqrt(hidden), 1/sqrt(hidden)) in that order, as torch.nn.RNNBase.reset_parameters does. The input
 * projection of all time steps is one matrix product: the sequence is laid out time-major, [seq * batch, in_k], so
 * step t is the contiguous row block [t * batch, (t + 1) * batch); the stacked outputs of a layer are already the
 * next layer's input in that layout. Everything is built from tensor operations, so autograd gives the gradients
 * (back-propagation through time). {@link #addStepListener} lets a caller see every step's hidden state.
 */
public abstract class Recurrent extends Module {
    private final int inputSize, hiddenSize, numLayers, gates;
    private final boolean returnSequences, withBias;
    private final Tensor[] weightIh, weightHh, biasIh, biasHh;
    private final List<RecurrentStepListener> stepListeners = new ArrayList<>();

    /**
     * @param gates the number of blocks stacked in the weights: 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n)
     * @param returnSequences true: output [batch, seq, hidden] (every step of the last layer); false: [batch, hidden]
     *     (the last step only)
     */
    protected Recurrent(int inputSize, int hiddenSize, int numLayers, int gates, boolean returnSequences, boolean withBias, Rng rng) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(kind() + " needs positive sizes, got input=" + inputSize + " hidden=" + hiddenSize
                    + " layers=" + numLayers);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.gates = gates;
        this.returnSequences = returnSequences;
        this.withBias = withBias;
        weightIh = new Tensor[numLayers];
        weightHh = new Tensor[numLayers];
        biasIh = new Tensor[numLayers];
        biasHh = new Tensor[numLayers];
        double bound = 1 / Math.sqrt(hiddenSize);
        for (int k = 0; k < numLayers; k++) {
            int in = k == 0 ? inputSize : hiddenSize;
            weightIh[k] = registerParameter("weight_ih_l" + k, Tensor.zeros(gates * hiddenSize, in));
            weightHh[k] = registerParameter("weight_hh_l" + k, Tensor.zeros(gates * hiddenSize, hiddenSize));
            if (withBias) {
                biasIh[k] = registerParameter("bias_ih_l" + k, Tensor.zeros(gates * hiddenSize));
                biasHh[k] = registerParameter("bias_hh_l" + k, Tensor.zeros(gates * hiddenSize));
            }
        }
        for (Tensor p : parameters()) Init.uniform(p, rng, -bound, bound);
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int numLayers() {
        return numLayers;
    }

    public boolean returnsSequences() {
        return returnSequences;
    }

    /** The state carried between steps of one layer: h, and for the LSTM the cell c. */
    protected record State(Tensor h, Tensor c) {}

    /** The zero initial state for a batch. */
    protected State initialState(int batch) {
        return new State(Tensor.zeros(batch, hiddenSize), null);
    }

    /**
     * One time step of one layer.
     *
     * @param inputPart W_ih x_t + b_ih, [batch, gates * hidden]
     * @param hiddenPart W_hh h_{t-1} + b_hh, [batch, gates * hidden]
     */
    protected abstract State step(Tensor inputPart, Tensor hiddenPart, State previous);

    /** Gate block {@code index} (columns [index * hidden, (index + 1) * hidden)) of a [batch, gates * hidden] tensor. */
    protected final Tensor gate(Tensor t, int index) {
        return t.slice(1, index * hiddenSize, (index + 1) * hiddenSize);
    }

    /** Adds a listener that sees every time step of every stacked layer; returns a handle that removes it. */
    public final Runnable addStepListener(RecurrentStepListener listener) {
        stepListeners.add(listener);
        return () -> stepListeners.remove(listener);
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (x.dim() != 3 || x.size(2) != inputSize) {
            throw new TensorShapeException(kind() + " expects input [batch, seq, " + inputSize + "], got " + Shape.str(x.shape()));
        }
        int batch = x.size(0), seq = x.size(1);
        if (seq == 0) throw new TensorShapeException(kind() + " needs at least one time step, got input " + Shape.str(x.shape()));
        // time-major rows: row t * batch + b is x[b, t, :]
        Tensor layerInput = x.transpose(0, 1).reshape(seq * batch, inputSize);
        Tensor last = null;
        for (int k = 0; k < numLayers; k++) {
            Tensor projected = layerInput.matmul(weightIh[k].transpose(0, 1));
            if (withBias) projected = projected.add(biasIh[k]);
            Tensor whhT = weightHh[k].transpose(0, 1);
            boolean keepSteps = k < numLayers - 1 || returnSequences;
            Tensor[] steps = keepSteps ? new Tensor[seq] : null;
            State state = initialState(batch);
            for (int t = 0; t < seq; t++) {
                Tensor inputPart = projected.slice(0, t * batch, (t + 1) * batch);
                Tensor hiddenPart = state.h().matmul(whhT);
                if (withBias) hiddenPart = hiddenPart.add(biasHh[k]);
                state = step(inputPart, hiddenPart, state);
                if (keepSteps) steps[t] = state.h();
                for (RecurrentStepListener listener : stepListeners) listener.onStep(this, k, t, seq, state.h());
            }
            last = state.h();
            if (keepSteps) layerInput = seq == 1 ? steps[0] : Tensor.concat(0, steps);
        }
        if (!returnSequences) return last;
        return layerInput.reshape(seq, batch, hiddenSize).transpose(0, 1).contiguous();
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 2 || in[1] != inputSize) {
            throw new TensorShapeException(kind() + " expects input [seq, " + inputSize + "] (batch axis excluded), got " + Arrays.toString(in));
        }
        return returnSequences ? new int[] {in[0], hiddenSize} : new int[] {hiddenSize};
    }
}
