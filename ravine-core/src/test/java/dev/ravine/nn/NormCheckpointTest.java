package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ravine.io.Checkpoint;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The state the normalization family keeps outside its parameters (instance norm's running statistics, batch renorm's
 * running mean, std and step count, spectral norm's power-iteration vectors) is saved by a checkpoint and restored.
 */
class NormCheckpointTest {
    private final Rng rng = new Rng(8);

    private Sequential model() {
        Rng init = new Rng(3);
        return new Sequential(
                new Conv2d(1, 2, 3, 1, 1, true, init, null, WeightForm.SPECTRAL_NORM),
                new InstanceNorm(2, 2, 1e-5, 0.1, true, true),
                BatchRenorm.of2d(2, 1e-5, 0.1, RenormSchedule.constant(2, 1)),
                new Flatten(),
                new Linear(32, 3, true, init, null, WeightForm.WEIGHT_NORM));
    }

    @Test void buffersRoundTripThroughACheckpoint() {
        Sequential model = model();
        Optimizer opt = Optimizers.sgd(model.namedParameters(), 0.1);
        for (int i = 0; i < 2; i++) model.call(Tensor.normal(rng, 0f, 1f, 4, 1, 4, 4));
        Checkpoint saved = Checkpoint.capture(model, opt, rng, 0, 0, new double[4]);
        Map<String, float[]> expected = saved.buffers();
        assertEquals(java.util.Set.of("0.weight_u", "0.weight_v", "1.running_mean", "1.running_var", "1.num_batches_tracked",
                "2.running_mean", "2.running_std", "2.num_batches_tracked"), expected.keySet());

        Sequential other = model();
        other.call(Tensor.normal(rng, 0f, 1f, 4, 1, 4, 4));
        assertNotEquals(expected.get("2.running_std")[0], other.namedBuffers().get("2.running_std").toArray()[0]);
        saved.restoreModel(other);
        for (var e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), other.namedBuffers().get(e.getKey()).toArray(), 0f, e.getKey());
        }
        Tensor x = Tensor.normal(rng, 0f, 1f, 4, 1, 4, 4);
        assertArrayEquals(model.call(x).toArray(), other.call(x).toArray(), 0f, "the restored model continues identically");
    }
}
