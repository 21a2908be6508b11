package dev.ravine.app.build;

import dev.ravine.app.config.LayerConfig;
import dev.ravine.io.HeapBudget;
import java.util.List;

/**
 * The heap a model needs, estimated from shapes before anything is allocated, and refused with the estimate and the
 * {@code -Xmx} that would hold it ({@link HeapBudget}). Parameters: each holds a float for its value, its gradient
 * and up to two optimizer moments ({@value #BYTES_PER_PARAMETER} bytes). Activations: every layer's output at the
 * batch size, kept for the backward pass, plus its gradient and the layer's intermediate ({@value #ACTIVATION_COPIES}
 * floats per output value).
 */
public final class MemoryEstimate {
    static final long BYTES_PER_PARAMETER = 4L * Float.BYTES;
    static final long ACTIVATION_COPIES = 3;

    private MemoryEstimate() {}

    /** Before a layer's weights are allocated: the model so far plus {@code layerParameters} must fit. */
    static void requireParameters(long modelParameters, long layerParameters, LayerConfig layer) {
        long total = modelParameters + layerParameters;
        HeapBudget.require(total * BYTES_PER_PARAMETER, "the model (" + total + " parameters up to " + layer.path() + " ("
                + layer.kind().id() + "), " + layer.origin().describe() + ", with their gradients and optimizer state)");
    }

    /** Parameters a linear layer of these sizes allocates (weights and bias). */
    static long linear(long in, long out, boolean bias) {
        return in * out + (bias ? out : 0);
    }

    /** A convolution's parameters: each of the {@code out} filters sees {@code in / groups} channels. */
    static long conv2d(long in, long out, long kernel, long groups, boolean bias) {
        return in / groups * out * kernel * kernel + (bias ? out : 0);
    }

    /**
     * A recurrent stack of {@code layers} with {@code gates} gates (1 rnn, 3 gru, 4 lstm); bidirectional, each layer
     * has a second direction of its own weights, and the layers above the first read both directions' outputs.
     */
    static long recurrent(long in, long hidden, long layers, long gates, boolean bias, boolean bidirectional) {
        long directions = bidirectional ? 2 : 1;
        long first = gates * hidden * (in + hidden + (bias ? 2 : 0));
        long later = gates * hidden * (directions * hidden + hidden + (bias ? 2 : 0));
        return directions * (first + Math.max(0, layers - 1) * later);
    }

    /** After the model is built: its activations at {@code batchSize} must fit next to what is already allocated. */
    public static void requireTraining(BuiltModel model, int batchSize) {
        HeapBudget.require(activationBytes(model.summary(), batchSize), "training at batch_size " + batchSize
                + " (the activations of " + model.summary().size() + " layers kept for the backward pass)");
    }

    static long activationBytes(List<LayerSummary> layers, int batchSize) {
        long values = 0;
        for (LayerSummary l : layers) {
            long n = 1;
            for (int d : l.outputShape()) n *= d;
            values += n;
        }
        return values * batchSize * ACTIVATION_COPIES * Float.BYTES;
    }
}
