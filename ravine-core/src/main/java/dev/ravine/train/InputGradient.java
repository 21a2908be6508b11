package dev.ravine.train;

import dev.ravine.autograd.Autograd;
import dev.ravine.nn.Module;
import dev.ravine.nn.loss.Loss;
import dev.ravine.tensor.Tensor;
import java.util.List;

/**
 * The gradient of a loss with respect to a model's input, by the engine's autograd (the input is a leaf that
 * requires grad; {@link Autograd#grad} leaves every parameter's {@code .grad} untouched).
 *
 * <p>The model runs in inference mode while the gradient is taken: an attack should not move batch-norm running
 * statistics or draw dropout masks, and it aims at the network the test set will see. The mode is restored after.
 */
final class InputGradient {
    private InputGradient() {}

    /** d loss(model(x), targets) / dx, with the shape of {@code x}. */
    static float[] of(Module model, Loss loss, float[] x, int[] shape, Tensor targets) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try {
            Tensor input = Tensor.of(x.clone(), shape).requiresGrad(true);
            Tensor l = loss.compute(model.call(input), targets);
            return Autograd.grad(l, List.of(input), null, false).getFirst().toArray();
        } finally {
            model.train(wasTraining);
        }
    }
}
