package dev.ravine.lab.net;

import dev.ravine.data.Batch;
import dev.ravine.doctor.curvature.CurvatureReport;
import dev.ravine.doctor.curvature.EscapeDirection;
import dev.ravine.doctor.curvature.HessianTopEigen;
import dev.ravine.doctor.curvature.HessianVectorProduct;
import dev.ravine.doctor.curvature.LanczosOptions;
import dev.ravine.doctor.curvature.LossAlongDirection;
import dev.ravine.nn.Module;
import dev.ravine.nn.loss.Loss;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The loss surface around a model's current weights on one fixed batch, read with the doctor's curvature tools: the
 * Hessian's top eigenvalue (sharpness, by Lanczos on exact Hessian-vector products) and the loss along the negative
 * gradient at a few step sizes. The loss is the training-mode loss (batch norm normalizes by this batch, as a training
 * step does); the batch-norm running statistics that those forwards move are put back, so the run is unchanged.
 *
 * @param sharpness      the top Hessian eigenvalue
 * @param gradientNorm   ||g|| at the weights
 * @param alongGradient  the loss at theta - t g for each step size t
 */
public record SurfaceProbe(double sharpness, double gradientNorm, LossAlongDirection alongGradient) {
    /** Lanczos steps per sharpness reading: the doctor's CurvatureMonitor default. */
    public static final int LANCZOS_STEPS = 10;

    public static SurfaceProbe at(Module model, Loss loss, Batch batch, long seed, double... steps) {
        List<Tensor> buffers = new ArrayList<>(model.namedBuffers().values());
        List<float[]> saved = new ArrayList<>();
        for (Tensor b : buffers) saved.add(b.toArray());
        boolean wasTraining = model.isTraining();
        model.train(true);
        try {
            Supplier<Tensor> value = () -> loss.compute(model.call(batch.inputs()), batch.targets());
            List<Tensor> parameters = model.parameters();
            HessianVectorProduct h = new HessianVectorProduct(value, parameters);
            CurvatureReport top = HessianTopEigen.lanczos(h, new LanczosOptions(LANCZOS_STEPS, 1e-2, seed), null);
            double[] g = h.gradient();
            double sq = 0;
            for (int i = 0; i < g.length; i++) {
                sq += g[i] * g[i];
                g[i] = -g[i];
            }
            LossAlongDirection along = EscapeDirection.probe(value, parameters, g, steps);
            return new SurfaceProbe(top.value(), Math.sqrt(sq), along);
        } finally {
            for (int i = 0; i < buffers.size(); i++) buffers.get(i).copyFrom(saved.get(i));
            model.train(wasTraining);
        }
    }

    /** The spread of the loss along the gradient: the largest sampled loss minus the smallest (base point included). */
    public double lossRange() {
        double lo = alongGradient.baseLoss(), hi = lo;
        for (double v : alongGradient.losses()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
    }
}
