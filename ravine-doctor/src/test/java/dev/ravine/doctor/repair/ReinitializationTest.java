package dev.ravine.doctor.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ravine.nn.Activation;
import dev.ravine.nn.BatchNorm;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.tensor.Rng;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The repair's choice of initializer per weight: the activation that follows the layer. */
class ReinitializationTest {
    @Test
    void heForTheReluFamilyAndUnactivatedLayersXavierForTanhAndSigmoid() {
        Rng rng = new Rng(1);
        Module model = new Sequential(new Linear(4, 8, true, rng), new Activation(Activation.Kind.RELU),
                new Linear(8, 8, true, rng), BatchNorm.of1d(8), new Dropout(0.1, rng), new Activation(Activation.Kind.TANH),
                new Linear(8, 8, true, rng), new Activation(Activation.Kind.SIGMOID),
                new Linear(8, 8, true, rng), new Activation(Activation.Kind.GELU),
                new Linear(8, 3, true, rng));
        Reinitialization plan = Reinitialization.of(model);
        assertEquals(Map.of("0.weight", "he_normal", "2.weight", "xavier_normal", "6.weight", "xavier_normal", "8.weight", "he_normal",
                "10.weight", "he_normal"), plan.names(), "biases and batch-norm scales are vectors: not re-drawn");
        assertEquals(plan.names().keySet(), plan.byParameter().keySet());
        assertEquals("he_normal and xavier_normal", plan.describe());
        assertEquals("he_normal", Reinitialization.of(new Sequential(new Linear(4, 8, true, rng), new Activation(Activation.Kind.RELU),
                new Linear(8, 3, true, rng))).describe());
    }
}
