package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.autograd.GradCheck;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;
import dev.ravine.testing.Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rnn, Lstm and Gru against torch.nn.RNN/LSTM/GRU(batch_first=True) (fixtures from tools/gen_rnn_fixtures.py: output
 * and gradients of sum(output * R) w.r.t. the input and every parameter, within 1e-5 * max(1, |expected|)), against
 * finite differences, and the last-output mode against the all-outputs mode.
 */
class RecurrentLayersTest {
    private final Rng rng = new Rng(77);

    static Recurrent make(String kind, int in, int hidden, int layers, boolean sequences, Rng rng) {
        return switch (kind) {
            case "rnn" -> new Rnn(in, hidden, layers, sequences, rng);
            case "lstm" -> new Lstm(in, hidden, layers, sequences, rng);
            case "gru" -> new Gru(in, hidden, layers, sequences, rng);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn_l1_seq", "rnn_l2_seq", "rnn_l2_last", "lstm_l1_seq", "lstm_l2_seq", "lstm_l2_last",
            "gru_l1_seq", "gru_l2_seq", "gru_l2_last"})
    void matchesPyTorch(String name) {
        Fixture f = Fixture.load("rnn/" + name + ".json");
        Recurrent layer = make(f.string("kind"), f.integer("input_size"), f.integer("hidden_size"), f.integer("num_layers"),
                f.bool("return_sequences"), rng);
        LayerFixturesTest.check(f, layer);
        System.out.println("[rnn fixtures] " + name + " max deviation " + maxDeviation(f, layer));
    }

    /** max |a - b| / max(1, |b|) over the output and all gradients, after the fixture check ran forward and backward. */
    private static double maxDeviation(Fixture f, Recurrent layer) {
        Tensor x = f.tensor("input").requiresGrad(true);
        layer.zeroGrad();
        Tensor out = layer.call(x);
        out.mul(f.tensor("R")).sum().backward();
        double worst = deviation(out.toArray(), f.data("output"));
        worst = Math.max(worst, deviation(x.grad().toArray(), f.data("grad_input")));
        for (Map.Entry<String, Tensor> e : layer.namedParameters().entrySet()) {
            worst = Math.max(worst, deviation(e.getValue().grad().toArray(), f.data("grad_" + e.getKey())));
        }
        return worst;
    }

    private static double deviation(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
        return worst;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void gradCheckInputAndParameters(String kind) {
        for (boolean sequences : new boolean[] {true, false}) {
            Recurrent layer = make(kind, 3, 4, 2, sequences, rng);
            Tensor x = Tensor.uniform(rng, -1f, 1f, 2, 4, 3).requiresGrad(true);
            List<Tensor> inputs = new ArrayList<>();
            inputs.add(x);
            inputs.addAll(layer.parameters());
            GradCheck.Result r = GradCheck.check(t -> layer.call(t.get(0)), inputs);
            assertTrue(r.passed(), kind + " sequences=" + sequences + " (inputs: x then " + layer.namedParameters().keySet() + "): " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void lastOutputIsTheLastStepOfAllOutputs(String kind) {
        Recurrent all = make(kind, 4, 5, 2, true, new Rng(5));
        Recurrent last = make(kind, 4, 5, 2, false, new Rng(5));
        Tensor x = Tensor.normal(rng, 0f, 1f, 3, 7, 4);
        Tensor a = all.call(x);
        Tensor b = last.call(x);
        assertArrayEquals(new int[] {3, 7, 5}, a.shape());
        assertArrayEquals(new int[] {3, 5}, b.shape());
        assertArrayEquals(a.slice(1, 6, 7).reshape(3, 5).toArray(), b.toArray(), 0f);
        // a single time step (no concatenation of steps)
        Tensor one = Tensor.normal(rng, 0f, 1f, 3, 1, 4);
        assertArrayEquals(all.call(one).reshape(3, 5).toArray(), last.call(one).toArray(), 0f);
    }

    @Test void parameterNamesShapesAndInitialization() {
        Lstm lstm = new Lstm(4, 6, 2, true, rng);
        Map<String, Tensor> p = lstm.namedParameters();
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"), new ArrayList<>(p.keySet()));
        assertArrayEquals(new int[] {24, 4}, p.get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {24, 6}, p.get("weight_ih_l1").shape());
        assertArrayEquals(new int[] {24, 6}, p.get("weight_hh_l1").shape());
        assertArrayEquals(new int[] {18, 4}, new Gru(4, 6, 1, true, rng).namedParameters().get("weight_ih_l0").shape());
        assertEquals(2, new Rnn(4, 6, 1, true, false, rng).namedParameters().size());
        double bound = 1 / Math.sqrt(6);
        for (Tensor t : lstm.parameters()) {
            for (float v : t.toArray()) assertTrue(Math.abs(v) <= bound, "outside U(-1/sqrt(hidden), 1/sqrt(hidden)): " + v);
        }
    }

    @Test void outputShapes() {
        assertArrayEquals(new int[] {5, 6}, new Gru(4, 6, 1, true, rng).outputShape(new int[] {5, 4}));
        assertArrayEquals(new int[] {6}, new Gru(4, 6, 1, false, rng).outputShape(new int[] {5, 4}));
        assertThrows(TensorShapeException.class, () -> new Rnn(4, 6, 1, true, rng).outputShape(new int[] {5, 3}));
        assertThrows(TensorShapeException.class, () -> new Rnn(4, 6, 1, true, rng).call(Tensor.zeros(2, 5, 3)));
    }

    /**
     * The step listener sees every step of every stacked layer, in order, with the state the forward goes on with: the
     * last layer's h_t is output[:, t, :]; a retained h_t gets dL/dh_t; a removed listener sees nothing more.
     */
    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void stepListenerSeesEveryHiddenState(String kind) {
        Recurrent layer = make(kind, 3, 4, 2, true, new Rng(8));
        List<String> seen = new ArrayList<>();
        List<Tensor> lastLayer = new ArrayList<>();
        Runnable remove = layer.addStepListener((module, k, t, steps, h) -> {
            assertTrue(module == layer);
            seen.add(k + ":" + t + "/" + steps);
            if (k == 1) {
                h.retainGrad();
                lastLayer.add(h);
            }
        });
        Tensor x = Tensor.normal(rng, 0f, 1f, 2, 3, 3);
        Tensor out = layer.call(x);
        assertEquals(List.of("0:0/3", "0:1/3", "0:2/3", "1:0/3", "1:1/3", "1:2/3"), seen);
        Tensor weights = Tensor.normal(rng, 0f, 1f, 2, 3, 4);
        out.mul(weights).sum().backward();
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(out.slice(1, t, t + 1).reshape(2, 4).toArray(), lastLayer.get(t).toArray(), 0f);
            // h_t of the last layer is output[:, t, :] and nothing after it reads it except h_{t+1}: at the last step
            // dL/dh_T is exactly the loss weights of that step
            if (t == 2) assertArrayEquals(weights.slice(1, 2, 3).reshape(2, 4).toArray(), lastLayer.get(t).grad().toArray(), 0f);
        }
        remove.run();
        seen.clear();
        layer.call(x);
        assertTrue(seen.isEmpty(), "removed listener still called: " + seen);
    }
}
