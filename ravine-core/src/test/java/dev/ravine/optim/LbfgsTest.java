package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Lbfgs} against torch.optim.LBFGS trajectories (tools/gen_lbfgs_fixtures.py): an ill-conditioned quadratic
 * and the Rosenbrock function, with and without the strong-Wolfe line search and with non-default options. The
 * parameters after every outer step must agree with torch's within 1e-5 * max(1, |expected|), and the final
 * func_evals / n_iter counters must be equal.
 */
class LbfgsTest {
    private static final double TOL = 1e-5;

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String name) throws IOException {
        try (var in = LbfgsTest.class.getResourceAsStream("/fixtures/lbfgs/" + name + ".json")) {
            if (in == null) throw new IllegalArgumentException("fixture lbfgs/" + name + " missing; run /usr/bin/python3 tools/gen_lbfgs_fixtures.py");
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    static float[] data(Map<String, Object> root, String key) {
        List<Object> d = (List<Object>) ((Map<String, Object>) root.get(key)).get("data");
        float[] out = new float[d.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) (double) (Double) d.get(i);
        return out;
    }

    /** Named parameters and a closure that zeroes the gradients, computes the loss and calls backward. */
    record Problem(Map<String, Tensor> params, Supplier<Tensor> closure) {
        List<Tensor> list() {
            return new ArrayList<>(params.values());
        }
    }

    static Problem quadratic(float[] x0) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        Tensor x = Tensor.of(x0.clone(), 2).requiresGrad(true);
        params.put("x", x);
        Tensor d = Tensor.of(new float[] {1f, 100f}, 2);
        return new Problem(params, () -> {
            x.setGrad(null);
            Tensor loss = x.mul(x).mul(d).sum().mul(0.5f);
            loss.backward();
            return loss;
        });
    }

    static Problem rosenbrock(float x0, float y0) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        Tensor x = Tensor.of(new float[] {x0}, 1).requiresGrad(true), y = Tensor.of(new float[] {y0}, 1).requiresGrad(true);
        params.put("x", x);
        params.put("y", y);
        return new Problem(params, () -> {
            x.setGrad(null);
            y.setGrad(null);
            Tensor a = x.rsub(1f);
            Tensor b = y.sub(x.mul(x));
            Tensor loss = a.mul(a).add(b.mul(b).mul(100f)).sum();
            loss.backward();
            return loss;
        });
    }

    static Problem problem(String name, Map<String, Object> root) {
        if (name.equals("quadratic")) return quadratic(data(root, "quadratic.init.x"));
        return rosenbrock(data(root, "rosenbrock.init.x")[0], data(root, "rosenbrock.init.y")[0]);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none_iter5", "wolfe_iter5", "wolfe_history3", "none_lr05_history3", "wolfe_lr05_maxeval"})
    @SuppressWarnings("unchecked")
    void matchesTorch(String name) throws IOException {
        Map<String, Object> root = load(name);
        int steps = ((Double) root.get("steps")).intValue();
        Map<String, Object> options = (Map<String, Object>) root.get("options");
        List<String> failures = new ArrayList<>();
        StringBuilder deviations = new StringBuilder();
        for (String problemName : List.of("quadratic", "rosenbrock")) {
            Problem problem = problem(problemName, root);
            Optimizer opt = Optimizers.byName("lbfgs", options, problem.params());
            float[] losses = data(root, problemName + ".losses");
            double maxDev = 0;
            for (int step = 0; step < steps; step++) {
                double loss = opt.step(problem.closure());
                double lossDev = Math.abs(loss - losses[step]) / Math.max(1.0, Math.abs((double) losses[step]));
                if (!(lossDev <= TOL)) {
                    failures.add(String.format("%s %s loss at step %d: expected %s, got %s", name, problemName, step + 1, losses[step], loss));
                }
                for (var e : problem.params().entrySet()) {
                    float[] actual = e.getValue().toArray();
                    float[] want = data(root, problemName + ".values." + e.getKey());
                    for (int i = 0; i < actual.length; i++) {
                        float b = want[step * actual.length + i], a = actual[i];
                        double dev = Math.abs((double) a - b) / Math.max(1.0, Math.abs((double) b));
                        if (!(dev <= TOL)) {
                            failures.add(String.format("%s %s %s[%d] after step %d: expected %s, got %s (relative %.3g)", name, problemName,
                                    e.getKey(), i, step + 1, b, a, dev));
                        }
                        if (!Double.isNaN(dev)) maxDev = Math.max(maxDev, dev);
                    }
                }
            }
            Map<String, Double> counters = ((ClosureOptimizer) opt).method().counters();
            long wantEvals = ((Double) root.get(problemName + ".func_evals")).longValue();
            long wantIter = ((Double) root.get(problemName + ".n_iter")).longValue();
            if (counters.get("func_evals").longValue() != wantEvals || counters.get("n_iter").longValue() != wantIter) {
                failures.add(String.format("%s %s counters: torch func_evals %d n_iter %d, Ravine %s", name, problemName, wantEvals, wantIter, counters));
            }
            deviations.append(String.format(" %s %.2e", problemName, maxDev));
        }
        System.out.println("[lbfgs] " + name + " max relative deviation:" + deviations);
        if (!failures.isEmpty()) fail(String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "strong_wolfe"})
    void convergesToRosenbrockMinimum(String lineSearch) {
        Problem p = rosenbrock(-1.5f, 2f);
        Lbfgs opt = new Lbfgs(p.list(), 1, 20, -1, 1e-7, 1e-9, 100, lineSearch);
        for (int i = 0; i < 20; i++) opt.step(p.closure());
        float x = p.params().get("x").item(), y = p.params().get("y").item();
        assertEquals(1f, x, 1e-4, "x after L-BFGS (" + lineSearch + ")");
        assertEquals(1f, y, 1e-4, "y after L-BFGS (" + lineSearch + ")");
        assertTrue(p.closure().get().item() < 1e-8, "loss at the end");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "strong_wolfe"})
    void saveRestoreContinuesBitIdentically(String lineSearch) {
        Problem a = rosenbrock(-1.5f, 2f);
        Lbfgs optA = new Lbfgs(a.list(), 1, 5, -1, 1e-7, 1e-9, 4, lineSearch);
        for (int i = 0; i < 4; i++) optA.step(a.closure());
        Map<String, float[]> arrays = optA.arrays();
        Map<String, Double> counters = optA.counters();
        assertTrue(counters.get("history") >= 1, "history after 4 steps");

        // a fresh optimizer on fresh parameters copied from the first, with the saved state
        Problem b = rosenbrock(a.params().get("x").item(), a.params().get("y").item());
        Lbfgs optB = new Lbfgs(b.list(), 1, 5, -1, 1e-7, 1e-9, 4, lineSearch);
        optB.restore(arrays, counters);
        for (int i = 0; i < 6; i++) {
            double la = optA.step(a.closure()), lb = optB.step(b.closure());
            assertEquals(Double.doubleToRawLongBits(la), Double.doubleToRawLongBits(lb), "loss at resumed step " + i);
            for (String n : List.of("x", "y")) {
                assertArrayEquals(a.params().get(n).toArray(), b.params().get(n).toArray(), 0f, n + " after resumed step " + i);
            }
        }
        assertEquals(optA.counters(), optB.counters());
        Map<String, float[]> sa = optA.arrays(), sb = optB.arrays();
        assertEquals(sa.keySet(), sb.keySet());
        for (String k : sa.keySet()) assertArrayEquals(sa.get(k), sb.get(k), 0f, k);
    }

    @Test
    void stopsAtOptimumWithoutIterating() {
        Problem p = quadratic(new float[] {0f, 0f});
        Lbfgs opt = new Lbfgs(p.list());
        assertEquals(0.0, opt.step(p.closure()));
        assertEquals(1.0, opt.counters().get("func_evals"));
        assertEquals(0.0, opt.counters().get("n_iter"));
    }
}
