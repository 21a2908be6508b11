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
 * from U(-1/sqrt(hidden), 1/sqrt(hidden)) in that order, as torch.nn.RNNBase.reset_parameters does. The input is
 * laid out time-major, [seq * batch, in_k], and cut into one [batch, in_k] view per step; a layer's hidden states at
 * each step are the next layer's inputs at that step. Each step is built from tensor operations (the LSTM's and GRU's
 * gate arithmetic as one fused operation each), so autograd gives the gradients (back-propagation through time). {@link #addStepListener} lets a caller see every step's hidden state.
 */
public abstract class Recurrent extends Module {
    private final int inputSize, hiddenSize, numLayers, gates;
    private final boolean returnSequences, withBias;
    private final Options options;
    private final int directions;
    private final Dropout interLayerDropout;
    /** Indexed by layer * directions + direction (torch's order: l0, l0_reverse, l1, ...). */
    private final Tensor[] weightIh, weightHh, biasIh, biasHh;
    private final List<RecurrentStepListener> stepListeners = new ArrayList<>();

    /**
     * @param gates the number of blocks stacked in the weights: 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n)
     * @param returnSequences true: output [batch, seq, hidden] (every step of the last layer); false: [batch, hidden]
     *     (the last step only)
     */
    protected Recurrent(int inputSize, int hiddenSize, int numLayers, int gates, boolean returnSequences, boolean withBias, Rng rng) {
        this(inputSize, hiddenSize, numLayers, gates, returnSequences, withBias, Options.DEFAULT, rng);
    }

    /**
     * torch's bidirectional (a second stack of weights, {@code *_reverse}, reads the sequence backwards; the outputs of
     * both directions are concatenated, [.., 2 hidden]) and dropout (applied in training to the outputs of every layer
     * but the last, as torch's inter-layer dropout).
     */
    public record Options(boolean bidirectional, double dropout) {
        public static final Options DEFAULT = new Options(false, 0);

        public Options {
            if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("recurrent dropout must be in [0, 1), got " + dropout);
        }
    }

    protected Recurrent(int inputSize, int hiddenSize, int numLayers, int gates, boolean returnSequences, boolean withBias, Options options,
            Rng rng) {
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
        this.options = options;
        this.directions = options.bidirectional() ? 2 : 1;
        interLayerDropout = options.dropout() > 0 ? registerModule("dropout", new Dropout(options.dropout(), rng)) : null;
        weightIh = new Tensor[numLayers * directions];
        weightHh = new Tensor[numLayers * directions];
        biasIh = new Tensor[numLayers * directions];
        biasHh = new Tensor[numLayers * directions];
        double bound = 1 / Math.sqrt(hiddenSize);
        for (int k = 0; k < numLayers; k++) {
            int in = k == 0 ? inputSize : hiddenSize * directions;
            for (int d = 0; d < directions; d++) {
                int i = k * directions + d;
                String suffix = k + (d == 1 ? "_reverse" : "");
                weightIh[i] = registerParameter("weight_ih_l" + suffix, Tensor.zeros(gates * hiddenSize, in));
                weightHh[i] = registerParameter("weight_hh_l" + suffix, Tensor.zeros(gates * hiddenSize, hiddenSize));
                if (withBias) {
                    biasIh[i] = registerParameter("bias_ih_l" + suffix, Tensor.zeros(gates * hiddenSize));
                    biasHh[i] = registerParameter("bias_hh_l" + suffix, Tensor.zeros(gates * hiddenSize));
                }
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

    public Options options() {
        return options;
    }

    /**
     * The output and the final states, as torch's (output, h_n) or (output, (h_n, c_n)).
     *
     * @param output [batch, seq, directions * hidden] or, without return_sequences, [batch, directions * hidden]
     * @param h      the last hidden state of every layer and direction, [layers * directions, batch, hidden]
     * @param c      the LSTM's last cell states, same shape, or null
     */
    public record Result(Tensor output, Tensor h, Tensor c) {}

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

    /**
     * One time step from the projections before their biases: adds them, then {@link #step(Tensor, Tensor, State)}.
     * A cell that adds the biases inside its own fused operation overrides this, sparing two [batch, gates * hidden]
     * tensors a step.
     */
    protected State step(Tensor inputPart, Tensor hiddenPart, Tensor biasIh, Tensor biasHh, State previous) {
        return step(inputPart.add(biasIh), hiddenPart.add(biasHh), previous);
    }

    /** Gate block {@code index} (columns [index * hidden, (index + 1) * hidden)) of a [batch, gates * hidden] tensor. */
    static Tensor gate(Tensor t, int index, int hidden) {
        return t.slice(1, index * hidden, (index + 1) * hidden);
    }

    /** Adds a listener that sees every time step of every stacked layer; returns a handle that removes it. */
    public final Runnable addStepListener(RecurrentStepListener listener) {
        stepListeners.add(listener);
        return () -> stepListeners.remove(listener);
    }

    @Override
    protected Tensor forward(Tensor x) {
        return run(x, null, null).output();
    }

    /**
     * The forward pass from given initial states (torch's h_0, c_0: [layers * directions, batch, hidden]; null for
     * zeros), returning the final states too.
     */
    public Result run(Tensor x, Tensor h0, Tensor c0) {
        if (x.dim() != 3 || x.size(2) != inputSize) {
            throw new TensorShapeException(kind() + " expects input [batch, seq, " + inputSize + "], got " + Shape.str(x.shape()));
        }
        int batch = x.size(0), seq = x.size(1);
        if (seq == 0) throw new TensorShapeException(kind() + " needs at least one time step, got input " + Shape.str(x.shape()));
        requireState(h0, "h0", batch);
        requireState(c0, "c0", batch);
        // time-major rows: row t * batch + b is x[b, t, :]
        Tensor[] layerSteps = timeSteps(x.transpose(0, 1).reshape(seq * batch, inputSize), seq, batch);
        Tensor[] finalH = new Tensor[numLayers * directions], finalC = new Tensor[numLayers * directions];
        for (int k = 0; k < numLayers; k++) {
            // one dropout call over the whole layer input, as torch draws it (and the doctor's hook sees it)
            if (k > 0 && interLayerDropout != null) layerSteps = timeSteps(interLayerDropout.call(Tensor.concat(0, layerSteps)), seq, batch);
            Tensor[][] outputs = new Tensor[directions][];
            for (int d = 0; d < directions; d++) {
                int i = k * directions + d;
                State start = initialState(batch);
                if (h0 != null) start = new State(stateOf(h0, i), start.c());
                if (c0 != null && start.c() != null) start = new State(start.h(), stateOf(c0, i));
                outputs[d] = new Tensor[seq];
                State end = direction(layerSteps, i, k, d == 1, start, outputs[d]);
                finalH[i] = end.h();
                finalC[i] = end.c();
            }
            layerSteps = directions == 1 ? outputs[0] : joined(outputs[0], outputs[1]);
        }
        int width = directions * hiddenSize;
        Tensor output = returnSequences
                ? Tensor.concat(0, layerSteps).reshape(seq, batch, width).transpose(0, 1).contiguous()
                : layerSteps[seq - 1];
        Tensor h = stack(finalH, batch);
        Tensor c = finalC[0] == null ? null : stack(finalC, batch);
        return new Result(output, h, c);
    }

    /**
     * One direction of one layer over the whole sequence, from the layer's input at every step; its hidden states go
     * to steps[t]. Each step's input projection is its own product: slicing one projection of the whole sequence
     * would make every step's backward write a zero-filled gradient of the whole sequence (quadratic in its length).
     */
    private State direction(Tensor[] inputs, int i, int k, boolean reverse, State state, Tensor[] steps) {
        int seq = inputs.length;
        Tensor wihT = weightIh[i].transpose(0, 1), whhT = weightHh[i].transpose(0, 1);
        for (int n = 0; n < seq; n++) {
            int t = reverse ? seq - 1 - n : n;
            Tensor inputPart = inputs[t].matmul(wihT);
            Tensor hiddenPart = state.h().matmul(whhT);
            state = withBias ? step(inputPart, hiddenPart, biasIh[i], biasHh[i], state) : step(inputPart, hiddenPart, state);
            steps[t] = state.h();
            // the listeners follow time forward: they see the forward direction only
            if (!reverse) for (RecurrentStepListener listener : stepListeners) listener.onStep(this, k, t, seq, state.h());
        }
        return state;
    }

    /**
     * The row blocks [t * batch, (t + 1) * batch) of a time-major tensor, as views. They are cut by halving, so that
     * when the tensor needs a gradient each level of the backward writes the tensor's size once: O(n log n) in the
     * sequence length instead of the O(n^2) of one slice per step.
     */
    private static Tensor[] timeSteps(Tensor rows, int seq, int batch) {
        Tensor[] steps = new Tensor[seq];
        cut(rows, 0, seq, batch, steps);
        return steps;
    }

    private static void cut(Tensor rows, int from, int count, int batch, Tensor[] steps) {
        if (count == 1) {
            steps[from] = rows;
            return;
        }
        int half = count / 2;
        cut(rows.slice(0, 0, half * batch), from, half, batch, steps);
        cut(rows.slice(0, half * batch, count * batch), from + half, count - half, batch, steps);
    }

    /** Both directions' hidden states side by side at every step, [batch, 2 hidden]. */
    private static Tensor[] joined(Tensor[] forward, Tensor[] backward) {
        Tensor[] both = new Tensor[forward.length];
        for (int t = 0; t < both.length; t++) both[t] = Tensor.concat(1, forward[t], backward[t]);
        return both;
    }

    private void requireState(Tensor s, String name, int batch) {
        if (s == null) return;
        int[] expected = {numLayers * directions, batch, hiddenSize};
        if (!Arrays.equals(s.shape(), expected)) {
            throw new TensorShapeException(kind() + " " + name + " must have shape [layers * directions, batch, hidden] = "
                    + Arrays.toString(expected) + ", got " + Shape.str(s.shape()));
        }
    }

    private Tensor stateOf(Tensor s, int i) {
        return s.slice(0, i, i + 1).reshape(s.size(1), hiddenSize);
    }

    private Tensor stack(Tensor[] states, int batch) {
        Tensor[] rows = new Tensor[states.length];
        for (int i = 0; i < states.length; i++) rows[i] = states[i].reshape(1, batch, hiddenSize);
        return rows.length == 1 ? rows[0] : Tensor.concat(0, rows);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 2 || in[1] != inputSize) {
            throw new TensorShapeException(kind() + " expects input [seq, " + inputSize + "] (batch axis excluded), got " + Arrays.toString(in));
        }
        return returnSequences ? new int[] {in[0], directions * hiddenSize} : new int[] {directions * hiddenSize};
    }
}
