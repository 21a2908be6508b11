package dev.ravine.data;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.SeedMix;
import dev.ravine.tensor.Tensor;

/**
 * Additive Gaussian input noise, x + N(0, sigma^2) independently per value, drawn anew for every training batch
 * (Bishop, 1995: training with small input noise is equivalent to Tikhonov regularization). The noise of a batch is
 * a function of (seed, epoch, batch index), so it is reproducible and survives a resume.
 */
public final class GaussianInputNoise implements BatchTransform {
    /** Separates this transform's random stream from the other draws derived from the same run seed. */
    private static final long STREAM = 0x4E4F495345L;

    private final double sigma;
    private final long seed;

    public GaussianInputNoise(double sigma, long seed) {
        if (!(sigma >= 0 && Double.isFinite(sigma))) {
            throw new IllegalArgumentException("input noise sigma must be a finite number >= 0, got " + sigma);
        }
        this.sigma = sigma;
        this.seed = seed;
    }

    public double sigma() {
        return sigma;
    }

    @Override
    public Batch apply(Batch batch, int epoch) {
        if (sigma == 0) return batch;
        Rng rng = new Rng(SeedMix.of(seed, STREAM, epoch, batch.index()));
        Tensor inputs = batch.inputs();
        float[] x = inputs.toArray();
        for (int i = 0; i < x.length; i++) x[i] += (float) (sigma * rng.nextGaussian());
        return new Batch(Tensor.of(x, inputs.shape()), batch.targets(), batch.labels(), batch.index(), batch.sampleIndices());
    }
}
