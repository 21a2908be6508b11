package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.autograd.Autograd;
import dev.ravine.autograd.GradCheck;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RNN/LSTM/GRU with initial states in and final states out, bidirectional, against PyTorch (tools/gen_rnn_fixtures.py:
 * output, h_n, c_n and the gradients with respect to input, parameters, h0 and c0), finite differences, and the
 * inter-layer dropout (active in training only).
 */
class RecurrentOptionsTest {
    private static final double TOL = 2e-5;

    private static Recurrent build(Fixture f) {
        Recurrent.Options o = new Recurrent.Options(f.bool("bidirectional"), 0);
        int in = f.integer("input_size"), hidden = f.integer("hidden_size"), layers = f.integer("num_layers");
        boolean seq = f.bool("return_sequences");
        Rng rng = new Rng(1);
        return switch (f.string("kind")) {
            case "rnn" -> new Rnn(in, hidden, layers, seq, true, o, rng);
            case "lstm" -> new Lstm(in, hidden, layers, seq, true, o, rng);
            default -> new Gru(in, hidden, layers, seq, true, o, rng);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn_l2_bi_states_seq", "lstm_l2_bi_states_seq", "gru_l2_bi_states_seq", "lstm_l1_bi_states_last",
            "gru_l2_uni_states_seq"})
    void statesAndDirectionsMatchTorch(String name) {
        Fixture f = Fixture.load("rnn/" + name + ".json");
        Recurrent r = build(f);
        assertTrue(f.namesWithPrefix("param.").equals(r.namedParameters().keySet()), "torch's names: " + r.namedParameters().keySet());
        for (Map.Entry<String, Tensor> p : r.namedParameters().entrySet()) p.getValue().copyFrom(f.data("param." + p.getKey()));
        Tensor x = f.tensor("input").requiresGrad(true), h0 = f.tensor("h0").requiresGrad(true);
        Tensor c0 = f.has("c0") ? f.tensor("c0").requiresGrad(true) : null;
        Recurrent.Result out = r.run(x, h0, c0);
        f.compare("output", out.output(), TOL);
        f.compare("h_n", out.h(), TOL);
        Tensor total = out.output().mul(f.tensor("R")).sum().add(out.h().mul(f.tensor("RH")).sum());
        if (c0 != null) {
            f.compare("c_n", out.c(), TOL);
            total = total.add(out.c().mul(f.tensor("RC")).sum());
        }
        total.backward();
        f.compare("grad_input", x.grad(), TOL);
        f.compare("grad_h0", h0.grad(), TOL);
        if (c0 != null) f.compare("grad_c0", c0.grad(), TOL);
        for (Map.Entry<String, Tensor> p : r.namedParameters().entrySet()) f.compare("grad_" + p.getKey(), p.getValue().grad(), TOL);
        assertArrayEquals(r.outputShape(new int[] {x.size(1), x.size(2)}), java.util.Arrays.copyOfRange(out.output().shape(), 1, out.output().dim()));
        if (f.report() != null) fail(f.report());
    }

    @Test
    void bidirectionalGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(4);
        Lstm lstm = new Lstm(3, 4, 2, true, true, new Recurrent.Options(true, 0), rng);
        Tensor x = Tensor.uniform(rng, -1, 1, 2, 3, 3).requiresGrad(true);
        Tensor h0 = Tensor.uniform(rng, -1, 1, 4, 2, 4).requiresGrad(true);
        List<Tensor> in = new ArrayList<>(List.of(x, h0));
        in.addAll(lstm.parameters());
        GradCheck.Result r = GradCheck.check(t -> {
            Recurrent.Result out = lstm.run(t.get(0), t.get(1), null);
            return Tensor.concat(0, out.output().reshape(-1), out.h().reshape(-1), out.c().reshape(-1));
        }, in);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void interLayerDropoutActsInTrainingOnly() {
        Rng rng = new Rng(6);
        Gru gru = new Gru(3, 5, 2, true, true, new Recurrent.Options(false, 0.5), rng);
        Tensor x = Tensor.uniform(rng, -1, 1, 2, 4, 3);
        gru.eval();
        float[] a = gru.call(x).toArray(), b = gru.call(x).toArray();
        assertArrayEquals(a, b, "eval: no dropout, deterministic");
        gru.train(true);
        assertFalse(java.util.Arrays.equals(a, gru.call(x).toArray()), "training: the first layer's outputs are dropped out");
        Gru single = new Gru(3, 5, 1, true, true, new Recurrent.Options(false, 0.5), new Rng(6));
        Tensor y = Tensor.uniform(new Rng(7), -1, 1, 2, 4, 3);
        float[] trained = single.call(y).toArray();
        single.eval();
        assertArrayEquals(single.call(y).toArray(), trained, "one layer: nothing between layers to drop");
        var e = assertThrows(dev.ravine.tensor.TensorShapeException.class, () -> gru.run(x, Tensor.zeros(1, 2, 5), null));
        assertTrue(e.getMessage().contains("h0 must have shape [layers * directions, batch, hidden] = [2, 2, 5]"), e.getMessage());
    }
}
