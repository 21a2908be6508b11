package dev.ravine.onnx;

import static dev.ravine.onnx.OnnxGraph.integer;
import static dev.ravine.onnx.OnnxGraph.ints;

import dev.ravine.nn.Gru;
import dev.ravine.nn.Lstm;
import dev.ravine.nn.Recurrent;
import dev.ravine.nn.Rnn;
import dev.ravine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Ravine's RNN, LSTM and GRU as ONNX's RNN, LSTM and GRU operators, one node per stacked layer. Ravine is batch-first
 * with PyTorch's gate order; ONNX runs [seq, batch, features] with its own order, so the input is transposed and the
 * weight blocks reordered: LSTM i, f, g, o becomes i, o, f, c; GRU r, z, n becomes z, r, h, with
 * {@code linear_before_reset} = 1, because Ravine (like PyTorch) applies the reset gate after the hidden projection.
 */
final class OnnxRecurrent {
    private final OnnxGraph g;

    OnnxRecurrent(OnnxGraph graph) {
        this.g = graph;
    }

    String translate(Recurrent r, String path, String x) {
        int hidden = r.hiddenSize();
        String op;
        int[] order;
        switch (r) {
            case Lstm l -> {
                op = "LSTM";
                order = new int[] {0, 3, 1, 2};
            }
            case Gru gru -> {
                op = "GRU";
                order = new int[] {1, 0, 2};
            }
            case Rnn rnn -> {
                op = "RNN";
                order = new int[] {0};
            }
            default -> throw new OnnxExportException("layer " + path + " (" + r.kind() + ") has no ONNX export yet");
        }
        Map<String, Tensor> p = r.namedParameters();
        String sequence = g.node("Transpose", path, List.of(x), ints("perm", 1, 0, 2)); // [seq, batch, features]
        String lastHidden = null;
        for (int k = 0; k < r.numLayers(); k++) {
            Tensor wih = p.get("weight_ih_l" + k), whh = p.get("weight_hh_l" + k);
            String layer = path + ".l" + k;
            String w = g.floats(layer + ".W", reorder(wih.toArray(), order, hidden, wih.size(1)), 1, (long) order.length * hidden, wih.size(1));
            String rec = g.floats(layer + ".R", reorder(whh.toArray(), order, hidden, hidden), 1, (long) order.length * hidden, hidden);
            List<String> inputs;
            if (p.containsKey("bias_ih_l" + k)) {
                float[] bias = concat(reorder(p.get("bias_ih_l" + k).toArray(), order, hidden, 1),
                        reorder(p.get("bias_hh_l" + k).toArray(), order, hidden, 1));
                inputs = List.of(sequence, w, rec, g.floats(layer + ".B", bias, 1, bias.length));
            } else {
                inputs = List.of(sequence, w, rec);
            }
            List<String> outputs = op.equals("GRU")
                    ? g.nodeWithOutputs(op, layer, inputs, 2, integer("hidden_size", hidden), integer("linear_before_reset", 1))
                    : g.nodeWithOutputs(op, layer, inputs, 2, integer("hidden_size", hidden));
            // Y is [seq, directions = 1, batch, hidden]; Y_h is [1, batch, hidden].
            sequence = g.node("Squeeze", layer, List.of(outputs.get(0), g.longs(layer + ".direction_axis", 1)));
            lastHidden = outputs.get(1);
        }
        if (r.returnsSequences()) return g.node("Transpose", path, List.of(sequence), ints("perm", 1, 0, 2));
        return g.node("Squeeze", path, List.of(lastHidden, g.longs(path + ".direction_axis", 0)));
    }

    /** The gate blocks of a [gates * hidden, cols] matrix (or bias, cols 1) in {@code order}. */
    static float[] reorder(float[] w, int[] order, int hidden, int cols) {
        float[] out = new float[w.length];
        int block = hidden * cols;
        for (int i = 0; i < order.length; i++) System.arraycopy(w, order[i] * block, out, i * block, block);
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
