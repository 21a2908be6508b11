package dev.ravine.train;

import dev.ravine.data.Batch;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.SeedMix;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Weight noise during training (Graves, "Practical variational inference for neural networks", 2011; used in his
 * 2013 speech recognition nets): each step runs its forward and backward pass with every weight perturbed by fresh
 * N(0, sigma^2) noise, then the unperturbed weights are put back, bit for bit, before the optimizer updates them.
 * The update therefore applies the gradient taken at the perturbed point w + e to the clean weights w; in
 * expectation it minimizes the loss averaged over a Gaussian neighbourhood of w, which favours flat minima.
 *
 * <p>Only weights (parameters of rank >= 2: linear and convolution kernels) are perturbed, not biases or
 * normalization gains, as with L1/L2. Listeners that read the model after the backward pass (the doctor) see the
 * clean weights. Inference never sees noise. The noise of a step is a function of (seed, epoch, batch index).
 */
public final class WeightNoise implements StepHook {
    private static final long STREAM = 0x574E4F495345L;

    private final double sigma;
    private final long seed;
    private final List<Tensor> perturbed = new ArrayList<>();
    private final List<float[]> clean = new ArrayList<>();

    public WeightNoise(double sigma, long seed) {
        if (!(sigma >= 0 && Double.isFinite(sigma))) {
            throw new IllegalArgumentException("weight noise sigma must be a finite number >= 0, got " + sigma);
        }
        this.sigma = sigma;
        this.seed = seed;
    }

    @Override
    public Batch beforeForward(Trainer trainer, Batch batch, int epoch) {
        if (sigma == 0) return batch;
        Rng rng = new Rng(SeedMix.of(seed, STREAM, epoch, batch.index()));
        for (Tensor w : trainer.model().namedParameters().values()) {
            if (w.dim() < 2) continue;
            float[] values = w.toArray();
            clean.add(values.clone());
            perturbed.add(w);
            for (int i = 0; i < values.length; i++) values[i] += (float) (sigma * rng.nextGaussian());
            w.copyFrom(values);
        }
        return batch;
    }

    @Override
    public void afterBackward(Trainer trainer) {
        for (int i = 0; i < perturbed.size(); i++) perturbed.get(i).copyFrom(clean.get(i));
        perturbed.clear();
        clean.clear();
    }
}
