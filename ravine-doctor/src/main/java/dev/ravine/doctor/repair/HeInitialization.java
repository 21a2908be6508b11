package dev.ravine.doctor.repair;

import dev.ravine.nn.Module;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * Re-draws a model's weight matrices and kernels (every parameter of two or more dimensions) from He's normal
 * initialization N(0, 2 / fan_in), fan_in the product of all dimensions but the first (Linear [out, in], Conv2d
 * [out, in, kh, kw]); vectors (biases, normalization scales) are kept. The variance-preserving start (note 003) for
 * a run whose gradients exploded from its first steps.
 */
final class HeInitialization {
    private HeInitialization() {}

    static void apply(Module model, long seed) {
        Rng rng = new Rng(seed);
        for (Tensor p : model.parameters()) {
            int[] shape = p.shape();
            if (shape.length < 2) continue;
            int fanIn = p.numel() / shape[0];
            double std = Math.sqrt(2.0 / fanIn);
            float[] w = new float[p.numel()];
            for (int i = 0; i < w.length; i++) w[i] = (float) (std * rng.nextGaussian());
            p.copyFrom(w);
        }
    }
}
