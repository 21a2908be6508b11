package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Save mid-training and resume, for every registered optimizer: 100 steps, a copy of {@code state()}'s arrays and
 * counters (what io.Checkpoint saves) and of the parameters, 100 more steps; a fresh optimizer restored from the
 * copy must then reproduce those 100 steps bit for bit. One parameter skips some steps (no gradient) so per-parameter
 * step counts matter.
 */
class OptimizerResumeTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        // L-BFGS steps with a closure; its resume is checked in LbfgsTest and, through checkpoint files, in ResumeEveryOptimizerTest.
        for (String name : Optimizers.names()) if (!name.equals("lbfgs")) out.add(Arguments.of(name, Map.of()));
        out.add(Arguments.of("sgd", Map.of("momentum", 0.9, "nesterov", true, "weight_decay", 0.01)));
        out.add(Arguments.of("adam", Map.of("amsgrad", true)));
        out.add(Arguments.of("adamw", Map.of("amsgrad", true)));
        out.add(Arguments.of("rmsprop", Map.of("centered", true, "momentum", 0.5, "weight_decay", 0.01)));
        out.add(Arguments.of("adagrad", Map.of("lr_decay", 0.01, "initial_accumulator_value", 0.1)));
        out.add(Arguments.of("adaptive_gains", Map.of("momentum", 0.9)));
        out.add(Arguments.of("momentum_ramp", Map.of("ramp_steps", 150)));
        return out.stream();
    }

    private static Map<String, Tensor> params() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        float[] a = new float[12], b = new float[5];
        for (int i = 0; i < a.length; i++) a[i] = (float) Math.sin(i + 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) Math.cos(2 * i + 1);
        p.put("a", Tensor.of(a, 3, 4).requiresGrad(true));
        p.put("b", Tensor.of(b, 5).requiresGrad(true));
        return p;
    }

    /** A deterministic gradient: a stiff quadratic pull plus a step-dependent wiggle; "b" has none every 7th step. */
    private static void setGrads(Map<String, Tensor> params, long step) {
        int k = 0;
        for (var e : params.entrySet()) {
            k++;
            if (e.getKey().equals("b") && step % 7 == 0) {
                e.getValue().setGrad(null);
                continue;
            }
            float[] w = e.getValue().toArray(), g = new float[w.length];
            for (int i = 0; i < g.length; i++) g[i] = (1 + 3 * (i % 3)) * w[i] + 0.3f * (float) Math.sin(0.37 * step + i + k);
            e.getValue().setGrad(Tensor.of(g, e.getValue().shape()));
        }
    }

    private static void run(Optimizer opt, Map<String, Tensor> params, long from, long to) {
        for (long s = from; s <= to; s++) {
            setGrads(params, s);
            opt.step();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void resumesBitIdentically(String name, Map<String, Object> options) {
        Map<String, Tensor> p1 = params();
        Optimizer first = Optimizers.byName(name, options, p1);
        run(first, p1, 1, 100);

        Map<String, float[][]> savedArrays = new LinkedHashMap<>();
        for (var e : first.state().arrays().entrySet()) {
            float[][] copy = new float[e.getValue().length][];
            for (int i = 0; i < copy.length; i++) copy[i] = e.getValue()[i].clone();
            savedArrays.put(e.getKey(), copy);
        }
        Map<String, long[]> savedCounters = new LinkedHashMap<>();
        for (var e : first.state().counters().entrySet()) savedCounters.put(e.getKey(), e.getValue().clone());
        Map<String, float[]> savedParams = new LinkedHashMap<>();
        for (var e : p1.entrySet()) savedParams.put(e.getKey(), e.getValue().toArray());
        long savedStep = first.stepCount();

        run(first, p1, 101, 200);

        Map<String, Tensor> p2 = params();
        for (var e : p2.entrySet()) System.arraycopy(savedParams.get(e.getKey()), 0, e.getValue().storage(), 0, e.getValue().numel());
        Optimizer resumed = Optimizers.byName(name, options, p2);
        assertEquals(savedArrays.keySet(), resumed.state().arrays().keySet());
        assertEquals(savedCounters.keySet(), resumed.state().counters().keySet());
        for (var e : resumed.state().arrays().entrySet()) {
            for (int i = 0; i < e.getValue().length; i++) {
                System.arraycopy(savedArrays.get(e.getKey())[i], 0, e.getValue()[i], 0, e.getValue()[i].length);
            }
        }
        for (var e : resumed.state().counters().entrySet()) {
            System.arraycopy(savedCounters.get(e.getKey()), 0, e.getValue(), 0, e.getValue().length);
        }
        resumed.setStepCount(savedStep);
        run(resumed, p2, 101, 200);

        for (String k : p1.keySet()) {
            float[] a = p1.get(k).toArray(), b = p2.get(k).toArray();
            for (float v : a) assertEquals(true, Float.isFinite(v), name + " diverged in the test problem");
            assertArrayEquals(a, b, 0f, name + " " + options + ": parameter " + k + " after resuming");
        }
        for (var e : first.state().arrays().entrySet()) {
            for (int i = 0; i < e.getValue().length; i++) {
                assertArrayEquals(e.getValue()[i], resumed.state().arrays().get(e.getKey())[i], 0f, name + " state " + e.getKey());
            }
        }
    }
}
