package dev.ravine.nn;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * Inverted dropout: in training each unit is kept with probability 1-p and scaled by 1/(1-p), so inference is the
 * identity. Masks come from the run's Rng, so a resumed run draws the same masks.
 */
public final class Dropout extends Module {
    private final float p;
    private final Rng rng;

    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout p must be in [0, 1), got " + p);
        this.p = (float) p;
        this.rng = rng;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        float scale = 1f / (1f - p);
        float[] mask = new float[x.numel()];
        for (int i = 0; i < mask.length; i++) mask[i] = rng.nextFloat() >= p ? scale : 0f;
        return x.mul(Tensor.of(mask, x.shape()));
    }

    @Override
    public String kind() {
        return "dropout";
    }

    @Override
    public int[] outputShape(int[] in) {
        return in;
    }
}
