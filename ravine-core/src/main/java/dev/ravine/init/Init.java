package dev.ravine.init;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * Weight initializers with torch.nn.init's formulas. Each fills a dense tensor in place from the run's Rng.
 * Xavier/Glorot: std = gain sqrt(2 / (fan_in + fan_out)), uniform bound = gain sqrt(6 / (fan_in + fan_out)).
 * He/Kaiming: std = gain / sqrt(fan), uniform bound = gain sqrt(3 / fan), gain = sqrt(2) for ReLU.
 */
public final class Init {
    private Init() {}

    public static void uniform(Tensor t, Rng rng, double low, double high) {
        float[] d = t.storage();
        for (int i = 0; i < d.length; i++) d[i] = (float) (low + (high - low) * rng.nextDouble());
    }

    public static void normal(Tensor t, Rng rng, double mean, double std) {
        float[] d = t.storage();
        for (int i = 0; i < d.length; i++) d[i] = (float) (mean + std * rng.nextGaussian());
    }

    public static void constant(Tensor t, double value) {
        java.util.Arrays.fill(t.storage(), (float) value);
    }

    public static void xavierUniform(Tensor t, Rng rng, double gain) {
        Fan f = Fan.of(t.shape());
        double bound = gain * Math.sqrt(6.0 / (f.in() + f.out()));
        uniform(t, rng, -bound, bound);
    }

    public static void xavierNormal(Tensor t, Rng rng, double gain) {
        Fan f = Fan.of(t.shape());
        normal(t, rng, 0, gain * Math.sqrt(2.0 / (f.in() + f.out())));
    }

    /** @param fanIn true for mode='fan_in' (preserves forward variance), false for 'fan_out' (backward variance) */
    public static void kaimingUniform(Tensor t, Rng rng, double negativeSlope, boolean fanIn, String nonlinearity) {
        double gain = Gain.of(nonlinearity, negativeSlope);
        Fan f = Fan.of(t.shape());
        double bound = gain * Math.sqrt(3.0 / (fanIn ? f.in() : f.out()));
        uniform(t, rng, -bound, bound);
    }

    public static void kaimingNormal(Tensor t, Rng rng, double negativeSlope, boolean fanIn, String nonlinearity) {
        double gain = Gain.of(nonlinearity, negativeSlope);
        Fan f = Fan.of(t.shape());
        normal(t, rng, 0, gain / Math.sqrt(fanIn ? f.in() : f.out()));
    }

    /**
     * PyTorch's default for Linear and Conv weights: kaiming_uniform with a = sqrt(5), which works out to
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)); biases use the same bound.
     */
    public static void pytorchDefaultWeight(Tensor weight, Rng rng) {
        kaimingUniform(weight, rng, Math.sqrt(5), true, "leaky_relu");
    }

    public static void pytorchDefaultBias(Tensor bias, int fanIn, Rng rng) {
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        uniform(bias, rng, -bound, bound);
    }
}
