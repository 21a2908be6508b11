package dev.ravine.onnx;

import static dev.ravine.onnx.OnnxGraph.integer;
import static dev.ravine.onnx.OnnxGraph.ints;
import static dev.ravine.onnx.OnnxGraph.text;

import dev.ravine.nn.Gru;
import dev.ravine.nn.Lstm;
import dev.ravine.nn.Recurrent;
import dev.ravine.nn.Rnn;
import dev.ravine.tensor.Tensor;
import onnx.Onnx.AttributeProto;
import java.util.List;
import java.util.Map;

/**
 * Ravine's RNN, LSTM and GRU as ONNX's RNN, LSTM and GRU operators, one node per stacked layer. Ravine is batch-first
 * with PyTorch's gate order; ONNX runs [seq, batch, features] with its own order, so the input is transposed and the
 * weight blocks reordered: LSTM i, f, g, o becomes i, o, f, c; GRU r, z, n becomes z, r, h, with
 * {@code linear_before_reset} = 1, because Ravine (like PyTorch) applies the reset gate after the hidden projection.
 * Bidirectional layers are one node with {@code direction = bidirectional}, whose two outputs per step are laid side by
 * side (forward, backward) for the next layer, as torch does.
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
        int directions = r.options().bidirectional() ? 2 : 1;
        String sequence = g.node("Transpose", path, List.of(x), ints("perm", 1, 0, 2)); // [seq, batch, features]
        String lastHidden = null;
        for (int k = 0; k < r.numLayers(); k++) {
            String layer = path + ".l" + k;
            int in = p.get("weight_ih_l" + k).size(1);
            boolean bias = p.containsKey("bias_ih_l" + k);
            // ONNX stacks the directions on a leading axis: forward first, then torch's *_reverse weights
            float[] w = new float[0], rec = new float[0], b = new float[0];
            for (int d = 0; d < directions; d++) {
                String suffix = k + (d == 1 ? "_reverse" : "");
                w = concat(w, reorder(p.get("weight_ih_l" + suffix).toArray(), order, hidden, in));
                rec = concat(rec, reorder(p.get("weight_hh_l" + suffix).toArray(), order, hidden, hidden));
                if (bias) b = concat(b, concat(reorder(p.get("bias_ih_l" + suffix).toArray(), order, hidden, 1),
                        reorder(p.get("bias_hh_l" + suffix).toArray(), order, hidden, 1)));
            }
            long rows = (long) order.length * hidden;
            List<String> inputs = new java.util.ArrayList<>(List.of(sequence, g.floats(layer + ".W", w, directions, rows, in),
                    g.floats(layer + ".R", rec, directions, rows, hidden)));
            if (bias) inputs.add(g.floats(layer + ".B", b, directions, 2 * rows));
            List<AttributeProto> attributes = new java.util.ArrayList<>(List.of(integer("hidden_size", hidden)));
            if (op.equals("GRU")) attributes.add(integer("linear_before_reset", 1));
            if (directions == 2) attributes.add(text("direction", "bidirectional"));
            List<String> outputs = g.nodeWithOutputs(op, layer, inputs, 2, attributes.toArray(AttributeProto[]::new));
            // Y is [seq, directions, batch, hidden]; Y_h is [directions, batch, hidden].
            sequence = directions == 1 ? g.node("Squeeze", layer, List.of(outputs.get(0), g.longs(layer + ".direction_axis", 1)))
                    : bothDirections(layer, outputs.get(0));
            lastHidden = outputs.get(1);
        }
        if (r.returnsSequences()) return g.node("Transpose", path, List.of(sequence), ints("perm", 1, 0, 2));
        if (directions == 1) return g.node("Squeeze", path, List.of(lastHidden, g.longs(path + ".direction_axis", 0)));
        // Ravine's (and torch's output[:, -1]) last step: the forward state after the whole sequence beside the backward
        // state after its last element only, which is not ONNX's Y_h (the backward state after the whole sequence)
        String last = g.node("Slice", path, List.of(sequence, g.longs(path + ".last_start", -1), g.longs(path + ".last_end", Long.MAX_VALUE),
                g.longs(path + ".seq_axis", 0)));
        return g.node("Squeeze", path, List.of(last, g.longs(path + ".seq_axis_squeezed", 0)));
    }

    /** Y [seq, 2, batch, hidden] as [seq, batch, 2 * hidden], each step's forward then backward output, as torch concatenates them. */
    private String bothDirections(String layer, String y) {
        String steps = g.node("Transpose", layer, List.of(y), ints("perm", 0, 2, 1, 3));
        return g.node("Reshape", layer, List.of(steps, g.longs(layer + ".both_directions", 0, 0, -1)));
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
