package dev.ravine.lab.net;

import dev.ravine.data.Batch;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.loss.Loss;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The gradient's L2 norm with respect to each Linear layer's weight, input layer first: one forward and backward pass
 * of the loss on a batch, in training mode (batch norm on the batch's statistics, as a training step sees it).
 */
public final class LayerGradients {
    private LayerGradients() {}

    public static double[] norms(Module model, Loss loss, Batch batch) {
        List<Linear> linears = linears(model);
        boolean wasTraining = model.isTraining();
        model.train(true);
        try {
            model.zeroGrad();
            loss.compute(model.call(batch.inputs()), batch.targets()).backward();
            double[] out = new double[linears.size()];
            for (int i = 0; i < out.length; i++) {
                Tensor g = linears.get(i).weight().grad();
                out[i] = g == null ? 0 : norm(g.values());
            }
            model.zeroGrad();
            return out;
        } finally {
            model.train(wasTraining);
        }
    }

    /** The model's Linear layers in the order their parameters are registered: input to output. */
    public static List<Linear> linears(Module model) {
        List<Linear> out = new ArrayList<>();
        for (Module m : model.namedModules().values()) if (m instanceof Linear l) out.add(l);
        return out;
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return Math.sqrt(s);
    }
}
