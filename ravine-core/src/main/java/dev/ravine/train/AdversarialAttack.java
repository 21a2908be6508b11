package dev.ravine.train;

import dev.ravine.nn.Module;
import dev.ravine.nn.loss.Loss;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/** A way to build inputs near {@code x} that raise the loss: {@link Fgsm}, {@link Pgd}. */
public interface AdversarialAttack {
    /**
     * Adversarial versions of the inputs {@code x} (a batch, shape {@code shape}) for their targets.
     *
     * @param rng the step's generator, for attacks with a random start
     */
    float[] perturb(Module model, Loss loss, float[] x, int[] shape, Tensor targets, Rng rng);

    /** The largest change of any input value (the radius of the L-infinity ball). */
    double epsilon();

    /**
     * The data range adversarial examples are clipped to: the smallest and largest of {@code values} (e.g. [0, 1] for
     * scaled pixels); for constant data, where that range is empty, [v, v + 1].
     */
    static double[] rangeOf(float[] values) {
        float low = Float.POSITIVE_INFINITY, high = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            low = Math.min(low, v);
            high = Math.max(high, v);
        }
        return new double[] {low, low < high ? high : low + 1.0};
    }

    /** Keeps each value of {@code x} in [low, high], the range of the data, so an example stays a possible input. */
    static void clip(float[] x, double low, double high) {
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.min(high, Math.max(low, x[i]));
    }
}
