package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleTest {
    @Test
    void parametersAreNamedByTheirPathAndHooksSeeEveryLayerOutput() {
        Rng rng = new Rng(1);
        Sequential model = new Sequential(new Linear(4, 3, true, rng), Activation.relu(),
                new Residual(new Sequential(new Linear(3, 3, true, rng), Activation.relu()), new int[] {3}, rng), BatchNorm.of1d(3));
        assertEquals(List.of("0.weight", "0.bias", "2.block.0.weight", "2.block.0.bias", "3.weight", "3.bias"),
                new ArrayList<>(model.namedParameters().keySet()));
        assertEquals(List.of("3.running_mean", "3.running_var", "3.num_batches_tracked"), new ArrayList<>(model.namedBuffers().keySet()));
        List<String> seen = new ArrayList<>();
        for (var e : model.namedModules().entrySet()) {
            e.getValue().addForwardHook((m, in, out) -> seen.add(e.getKey() + ":" + m.kind() + ":" + java.util.Arrays.toString(out.shape())));
        }
        model.call(Tensor.ones(2, 4));
        assertEquals(List.of("0:linear:[2, 3]", "1:relu:[2, 3]", "2.block.0:linear:[2, 3]", "2.block.1:relu:[2, 3]",
                "2.block:sequential:[2, 3]", "2:residual:[2, 3]", "3:batchnorm1d:[2, 3]", ":sequential:[2, 3]"), seen);
    }

    @Test
    void defaultInitializationFollowsPyTorchBounds() {
        Rng rng = new Rng(2);
        Linear l = new Linear(400, 300, true, rng);
        double bound = 1 / Math.sqrt(400);
        float[] w = l.weight().values();
        double max = 0, sumSq = 0;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
            sumSq += v * v;
        }
        assertTrue(max <= bound, "weights within +-1/sqrt(fan_in)");
        // U(-b, b) has variance b^2 / 3
        assertEquals(bound * bound / 3, sumSq / w.length, 0.02 * bound * bound / 3);
        for (float v : l.bias().values()) assertTrue(Math.abs(v) <= bound);
    }

    @Test
    void evalModeReachesEveryDescendant() {
        Rng rng = new Rng(3);
        Sequential model = new Sequential(new Sequential(new Dropout(0.5, rng)), BatchNorm.of1d(2));
        model.eval();
        for (Module m : model.namedModules().values()) assertTrue(!m.isTraining());
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        // eval: dropout is the identity and batchnorm uses running stats (mean 0, var 1): y = x / sqrt(1 + eps)
        float[] y = model.call(x).values();
        for (int i = 0; i < 4; i++) assertEquals(x.values()[i] / Math.sqrt(1 + 1e-5), y[i], 1e-6);
    }

    @Test
    void linearReportsTheShapeItExpects() {
        Linear l = new Linear(784, 10, true, new Rng(1));
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.ravine.tensor.TensorShapeException.class, () -> l.outputShape(new int[] {3136}));
        assertTrue(e.getMessage().contains("expects 784 inputs, got 3136"), e.getMessage());
        var e2 = org.junit.jupiter.api.Assertions.assertThrows(dev.ravine.tensor.TensorShapeException.class,
                () -> new Sequential(new Flatten(), new Linear(100, 10, true, new Rng(1))).outputShape(new int[] {1, 28, 28}));
        assertTrue(e2.getMessage().startsWith("layer 1 linear expects 100 inputs, got 784"), e2.getMessage());
    }
}
