package dev.ravine.data;

import dev.ravine.tensor.Rng;

/**
 * A small synthetic classification set: 3 classes in 6 dimensions, each sample standard normal noise plus 1.5 on
 * the two features that belong to its class (feature j belongs to class j mod 3). Learnable in a few epochs but
 * not in one step; seeded. Used by tests and examples that need a real training run without data files.
 */
public final class GaussianBlobs {
    public static final int FEATURES = 6, CLASSES = 3;

    private GaussianBlobs() {}

    public static Dataset generate(int count, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[count * FEATURES];
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = rng.nextInt(CLASSES);
            for (int j = 0; j < FEATURES; j++) x[i * FEATURES + j] = (float) (rng.nextGaussian() + (j % CLASSES == y[i] ? 1.5 : 0));
        }
        return Dataset.classification(x, new int[] {FEATURES}, y, CLASSES);
    }
}
