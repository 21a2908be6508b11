package dev.ravine.app.run;

import dev.ravine.app.config.LayerConfig;
import dev.ravine.app.config.LayerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reference networks of the training-loss check (note 001), derived from a model's layer list. A hidden block is
 * a {@code linear} layer with the layers after it up to the next {@code linear}; the last {@code linear} (and what
 * follows it) is the output. A convolutional model's feature extractor, the layers up to its {@code flatten}
 * ({@link #headStart}), is kept as it is in every reference: the references vary the linear head after it, where a CNN's
 * read-out bottleneck sits. Models with recurrent or residual layers in the head, or convolutions without such a stem,
 * get no references (null).
 */
final class ReferenceModels {
    private ReferenceModels() {}

    /** The first hidden block and the output only; null unless the model has at least two hidden blocks. */
    static List<LayerConfig> shallower(List<LayerConfig> layers) {
        List<Integer> linears = linearIndices(layers);
        if (linears == null || linears.size() < 3) return null;
        List<LayerConfig> out = new ArrayList<>(layers.subList(0, linears.get(1)));
        out.addAll(layers.subList(linears.getLast(), layers.size()));
        return withoutInferred(out);
    }

    /**
     * The narrowest of the hidden linear layers {@link #shallower} removes (their {@code out}) when it is narrower than
     * the first hidden layer, which the shallower net keeps, so the rule can tell a depth verdict from a removed
     * bottleneck; 0 when there is no shallower reference, a width is not written, or the kept layer is as narrow (eight
     * layers of 6 units before ten classes: the shallower net keeps a 6-unit layer too, so what it lacks is depth).
     */
    static int cutWidth(List<LayerConfig> layers) {
        List<Integer> linears = linearIndices(layers);
        if (linears == null || linears.size() < 3) return 0;
        Integer kept = layers.get(linears.getFirst()).integer("out");
        if (kept == null) return 0;
        int narrowest = Integer.MAX_VALUE;
        for (int i = 1; i < linears.size() - 1; i++) {
            Integer out = layers.get(linears.get(i)).integer("out");
            if (out == null) return 0;
            narrowest = Math.min(narrowest, out);
        }
        return narrowest < kept ? narrowest : 0;
    }

    /** The output layer's width (the last linear's {@code out}); 0 when the model has none or does not write it. */
    static int outputs(List<LayerConfig> layers) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).kind() != LayerKind.LINEAR) continue;
            Integer out = layers.get(i).integer("out");
            return out == null ? 0 : out;
        }
        return 0;
    }

    /**
     * Every hidden linear layer and recurrent cell {@value #FACTOR}x as wide and at least {@value #MIN_WIDTH} units (a
     * layer of 2 units made 8 is hardly a bigger model: the reference must really be bigger for its failure to clear the
     * model); with no hidden layer, one of {@value #MIN_WIDTH} ReLUs before the output. An embedding is widened
     * {@value #FACTOR}x too (a multiple of itself, so the attention heads after it still divide it) unless a recurrent cell
     * follows: without one, its width is what the attention and transformer layers after it carry, the model's hidden
     * width; with one, the cell's state is, and that is widened. No floor for it: the attention layers' parameters grow
     * with its square, and a reference too big to train within the check's deadline measures nothing. A convolutional
     * stem ({@link #headStart}) is kept as it is. Null for a model with residual layers or convolutions outside such a
     * stem, or without a linear output.
     */
    static List<LayerConfig> wider(List<LayerConfig> layers) {
        int start = headStart(layers);
        if (start < 0) return null;
        List<Integer> linears = new ArrayList<>();
        boolean recurrent = false;
        for (int i = start; i < layers.size(); i++) {
            LayerKind k = layers.get(i).kind();
            if (k == LayerKind.LINEAR) linears.add(i);
            else if (k == LayerKind.RNN || k == LayerKind.LSTM || k == LayerKind.GRU) recurrent = true;
            else if (k == LayerKind.CONV2D || k == LayerKind.RESIDUAL) return null;
        }
        if (linears.isEmpty()) return null;
        List<LayerConfig> out = new ArrayList<>();
        int last = linears.getLast();
        for (int i = 0; i < layers.size(); i++) {
            LayerConfig l = layers.get(i);
            LayerKind k = l.kind();
            if (i < start) {
                out.add(l); // the convolutional stem, as the run has it
                continue;
            }
            if (i == last && linears.size() == 1 && !recurrent) {
                out.add(l.with("out", MIN_WIDTH));
                out.add(new LayerConfig(LayerKind.RELU, Map.of(), List.of(), l.path(), l.origin()));
            }
            if (k == LayerKind.LINEAR && i != last) out.add(l.with("out", widened(l.integer("out"))));
            else if (k == LayerKind.RNN || k == LayerKind.LSTM || k == LayerKind.GRU) out.add(l.with("hidden", widened(l.integer("hidden"))));
            else if (k == LayerKind.EMBEDDING && !recurrent) out.add(l.with("dim", FACTOR * l.integer("dim")));
            else out.add(l);
        }
        return withoutInferred(out);
    }

    static final int FACTOR = 4;
    static final int MIN_WIDTH = 64;

    private static int widened(int width) {
        return Math.max(MIN_WIDTH, FACTOR * width);
    }

    /**
     * Where the linear head begins: 0 for a model without convolutions; for one with them, the index after its last
     * {@code flatten} when every convolution comes before it and nothing before it is linear, recurrent or residual (a
     * plain stem of convolutions, pooling, activations and normalizations: the shapes the head sees are then the run's
     * own); -1 when the convolutions have no such stem.
     */
    static int headStart(List<LayerConfig> layers) {
        int flatten = -1, lastConv = -1;
        for (int i = 0; i < layers.size(); i++) {
            LayerKind k = layers.get(i).kind();
            if (k == LayerKind.FLATTEN) flatten = i;
            else if (k == LayerKind.CONV2D) lastConv = i;
        }
        if (lastConv < 0) return 0;
        if (flatten < lastConv) return -1;
        for (int i = 0; i < flatten; i++) {
            LayerKind k = layers.get(i).kind();
            if (k == LayerKind.LINEAR || k == LayerKind.RESIDUAL || k == LayerKind.RNN || k == LayerKind.LSTM || k == LayerKind.GRU
                    || k == LayerKind.EMBEDDING || k == LayerKind.ATTENTION || k == LayerKind.TRANSFORMER) return -1;
        }
        return flatten + 1;
    }

    private static List<Integer> linearIndices(List<LayerConfig> layers) {
        int start = headStart(layers);
        if (start < 0) return null;
        List<Integer> out = new ArrayList<>();
        for (int i = start; i < layers.size(); i++) {
            LayerKind k = layers.get(i).kind();
            if (k == LayerKind.LINEAR) out.add(i);
            else if (k == LayerKind.CONV2D || k == LayerKind.RESIDUAL || k == LayerKind.RNN || k == LayerKind.LSTM || k == LayerKind.GRU) return null;
        }
        return out;
    }

    /** Sizes the builder infers (linear in) are cleared, since the layers feeding them changed. */
    private static List<LayerConfig> withoutInferred(List<LayerConfig> layers) {
        List<LayerConfig> out = new ArrayList<>();
        for (LayerConfig l : layers) out.add(l.kind() == LayerKind.LINEAR && l.options().containsKey("in") ? l.with("in", null) : l);
        return out;
    }
}
