package dev.ravine.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.nn.Linear;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Json;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 200-step torch.optim trajectories (tools/gen_optimizer_trajectories.py) replayed with {@link Optimizers#byName}: an
 * ill-conditioned quadratic, the Rosenbrock function and a small tanh MLP with cross-entropy. The losses and their
 * gradients are computed every step with Ravine's float32 tensors and layers, and the parameters must agree with
 * torch's within 1e-5 * max(1, |expected|) at every recorded step. A new optimizer joins by adding a fixture. For
 * fixtures holding torch's MLP gradients (sign-sensitive settings, see the generator), Ravine's MLP gradient is
 * checked against torch's every step and torch's is then fed to the optimizer.
 */
class OptimizerTrajectoryTest {
    private static final double TOL = 1e-5;

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(OptimizerTrajectoryTest.class.getResource("/fixtures/optim_traj").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
            assertTrue(names.size() >= 20, "expected the trajectory fixtures under " + dir);
            return names.stream();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String name) throws IOException {
        try (var in = OptimizerTrajectoryTest.class.getResourceAsStream("/fixtures/optim_traj/" + name + ".json")) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    static float[] data(Map<String, Object> root, String key) {
        List<Object> d = (List<Object>) ((Map<String, Object>) root.get(key)).get("data");
        float[] out = new float[d.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) (double) (Double) d.get(i);
        return out;
    }

    @SuppressWarnings("unchecked")
    static int[] shape(Map<String, Object> root, String key) {
        List<Object> s = (List<Object>) ((Map<String, Object>) root.get(key)).get("shape");
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Double) s.get(i)).intValue();
        return out;
    }

    /** A problem: named parameters and the loss as a function of them. */
    record Problem(Map<String, Tensor> params, Function<Map<String, Tensor>, Tensor> loss) {}

    static Problem quadratic(Map<String, Object> root) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("x", Tensor.of(data(root, "quadratic.init.x"), shape(root, "quadratic.init.x")).requiresGrad(true));
        Tensor d = Tensor.of(new float[] {1f, 100f}, 2);
        return new Problem(params, p -> p.get("x").mul(p.get("x")).mul(d).sum().mul(0.5f));
    }

    static Problem rosenbrock(Map<String, Object> root) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String n : List.of("x", "y")) {
            params.put(n, Tensor.of(data(root, "rosenbrock.init." + n), shape(root, "rosenbrock.init." + n)).requiresGrad(true));
        }
        return new Problem(params, p -> {
            Tensor a = p.get("x").rsub(1f);
            Tensor b = p.get("y").sub(p.get("x").mul(p.get("x")));
            return a.mul(a).add(b.mul(b).mul(100f)).sum();
        });
    }

    static Problem mlp(Map<String, Object> root) {
        Linear l1 = new Linear(4, 8, true, new Rng(1)), l2 = new Linear(8, 3, true, new Rng(2));
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w1", l1.weight());
        params.put("b1", l1.bias());
        params.put("w2", l2.weight());
        params.put("b2", l2.bias());
        for (var e : params.entrySet()) {
            float[] init = data(root, "mlp.init." + e.getKey());
            System.arraycopy(init, 0, e.getValue().storage(), 0, init.length);
        }
        Tensor x = Tensor.of(data(root, "mlp.input"), shape(root, "mlp.input"));
        Tensor target = Tensor.of(data(root, "mlp.target"), shape(root, "mlp.target"));
        CrossEntropyLoss ce = new CrossEntropyLoss();
        return new Problem(params, p -> ce.compute(l2.call(l1.call(x).tanh()), target));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    @SuppressWarnings("unchecked")
    void matchesTorch(String name) throws IOException {
        Map<String, Object> root = load(name);
        String optimizer = (String) root.get("optimizer");
        int steps = ((Double) root.get("steps")).intValue();
        List<Integer> recorded = new ArrayList<>();
        for (Object o : (List<Object>) root.get("recorded")) recorded.add(((Double) o).intValue());
        List<String> failures = new ArrayList<>();
        StringBuilder deviations = new StringBuilder();
        for (String problemName : List.of("quadratic", "rosenbrock", "mlp")) {
            Problem problem = switch (problemName) {
                case "quadratic" -> quadratic(root);
                case "rosenbrock" -> rosenbrock(root);
                default -> mlp(root);
            };
            Map<String, Object> options = (Map<String, Object>) root.get(problemName + ".options");
            Optimizer opt = Optimizers.byName(optimizer, options, problem.params());
            Map<String, float[]> expected = new LinkedHashMap<>();
            for (String p : problem.params().keySet()) expected.put(p, data(root, problemName + ".values." + p));
            double maxDev = 0;
            int row = 0;
            for (int step = 1; step <= steps && failures.isEmpty(); step++) {
                opt.zeroGrad();
                problem.loss().apply(problem.params()).backward();
                if (root.containsKey(problemName + ".grads." + problem.params().keySet().iterator().next())) {
                    // Sign-sensitive settings: check Ravine's gradient against torch's, then step on torch's, so that a
                    // last-ulp gradient difference cannot flip an Rprop/RMSprop decision and fork the trajectory.
                    for (var e : problem.params().entrySet()) {
                        float[] torchGrad = data(root, problemName + ".grads." + e.getKey());
                        float[] ours = e.getValue().grad().toArray();
                        int n = ours.length;
                        for (int i = 0; i < n; i++) {
                            float b = torchGrad[(step - 1) * n + i];
                            if (!(Math.abs((double) ours[i] - b) <= TOL * Math.max(1.0, Math.abs((double) b)))) {
                                failures.add(String.format("%s %s gradient of %s[%d] at step %d: torch %s, Ravine %s", name, problemName,
                                        e.getKey(), i, step, b, ours[i]));
                            }
                        }
                        e.getValue().setGrad(Tensor.of(java.util.Arrays.copyOfRange(torchGrad, (step - 1) * n, step * n), e.getValue().shape()));
                    }
                }
                opt.step();
                if (!recorded.contains(step)) continue;
                for (var e : problem.params().entrySet()) {
                    float[] actual = e.getValue().toArray();
                    float[] want = expected.get(e.getKey());
                    for (int i = 0; i < actual.length; i++) {
                        float b = want[row * actual.length + i], a = actual[i];
                        double dev = Math.abs((double) a - b) / Math.max(1.0, Math.abs((double) b));
                        if (Float.isNaN(a) != Float.isNaN(b) || (!Float.isNaN(b) && !(dev <= TOL))) {
                            failures.add(String.format("%s %s %s[%d] after step %d (%s): expected %s, got %s (relative %.3g)", name, problemName,
                                    e.getKey(), i, step, opt.describe(), b, a, dev));
                        }
                        if (!Double.isNaN(dev)) maxDev = Math.max(maxDev, dev);
                    }
                }
                row++;
            }
            deviations.append(String.format(" %s %.2e", problemName, maxDev));
        }
        System.out.println("[trajectory] " + name + " max relative deviation:" + deviations);
        if (!failures.isEmpty()) fail(String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }
}
