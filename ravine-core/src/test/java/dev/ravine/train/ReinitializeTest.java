package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.init.Init;
import dev.ravine.init.Initializer;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trainer's re-initialization control: core init/ drawing from the run's Rng, only the named parameters. */
class ReinitializeTest {
    private static Trainer trainer(long runSeed) {
        Rng init = new Rng(5); // the same starting weights for every run
        Module model = new Sequential(new Linear(4, 6, true, init), new Activation(Activation.Kind.RELU), new Linear(6, 3, true, init));
        return new Trainer(model, new CrossEntropyLoss(), Optimizers.sgd(model.namedParameters(), 0.1), new Rng(runSeed), TrainingOptions.epochs(1));
    }

    private static float[] values(Trainer t, String name) {
        return t.model().namedParameters().get(name).values().clone();
    }

    @Test
    void redrawsTheNamedParametersWithTheInitializerFromTheRunsGenerator() {
        Trainer t = trainer(11);
        float[] bias = values(t, "0.bias"), second = values(t, "2.weight");
        t.reinitialize(Map.of("0.weight", Initializer.byName("he_normal")), 0);

        // exactly torch's kaiming_normal_ formula, drawn from the run's Rng split off at this point
        Tensor expected = Tensor.zeros(6, 4);
        Init.kaimingNormal(expected, new Rng(11).split(0), 0, true, "relu");
        assertArrayEquals(expected.values(), values(t, "0.weight"), 0f);
        assertArrayEquals(bias, values(t, "0.bias"), 0f, "parameters not named keep their values");
        assertArrayEquals(second, values(t, "2.weight"), 0f);
    }

    @Test
    void theRunSeedAndTheDrawNumberDecideTheWeights() {
        Map<String, Initializer> plan = Map.of("0.weight", Initializer.byName("he_normal"), "2.weight", Initializer.byName("xavier_normal"));
        Trainer a = trainer(11), b = trainer(11), c = trainer(12), d = trainer(11);
        a.reinitialize(plan, 0);
        b.reinitialize(plan, 0);
        c.reinitialize(plan, 0);
        d.reinitialize(plan, 1);
        assertArrayEquals(values(a, "2.weight"), values(b, "2.weight"), 0f, "same seed, same draw: same weights");
        assertFalse(Arrays.equals(values(a, "0.weight"), values(c, "0.weight")), "another run seed draws other weights");
        assertFalse(Arrays.equals(values(a, "0.weight"), values(d, "0.weight")), "another draw number from the same state too");
    }

    @Test
    void anUnknownParameterIsNamedInTheError() {
        var e = assertThrows(IllegalArgumentException.class, () -> trainer(1).reinitialize(Map.of("9.weight", Initializer.byName("he_normal")), 0));
        assertTrue(e.getMessage().contains("'9.weight'") && e.getMessage().contains("0.weight"), e.getMessage());
    }
}
