package dev.ravine.data;

import dev.ravine.tensor.Rng;

/**
 * The adding problem (Hochreiter and Schmidhuber, 1997; the form of Le, Jaitly and Hinton, 2015): each sample is a
 * sequence of {@code length} (value, marker) pairs, values uniform in [0, 1), markers 0 except at two positions, one
 * drawn uniformly from the first half and one from the second half; the target is the sum of the two marked values.
 * A model must remember a value across up to {@code length} steps, which a vanilla RNN finds hard and an LSTM does
 * not. Always predicting 1 gives a mean squared error of 1/6 (the variance of the sum), the baseline to beat.
 *
 * <p>Samples are [length, 2] (batch-first sequences for {@code dev.ravine.nn.Rnn/Lstm/Gru}), targets [1];
 * the same seed gives the same data set.
 */
public final class AddingProblem {
    /** The mean squared error of always predicting the mean target, 1. */
    public static final double BASELINE_MSE = 1.0 / 6.0;

    private AddingProblem() {}

    public static Dataset generate(int count, int length, long seed) {
        if (count <= 0) throw new IllegalArgumentException("the adding problem needs a positive sample count, got " + count);
        if (length < 2) throw new IllegalArgumentException("the adding problem needs sequences of length at least 2, got " + length);
        Rng rng = new Rng(seed);
        float[] features = new float[count * length * 2];
        float[] targets = new float[count];
        int half = length / 2;
        for (int n = 0; n < count; n++) {
            int base = n * length * 2;
            for (int t = 0; t < length; t++) features[base + 2 * t] = rng.nextFloat();
            int first = rng.nextInt(half);
            int second = half + rng.nextInt(length - half);
            features[base + 2 * first + 1] = 1f;
            features[base + 2 * second + 1] = 1f;
            targets[n] = features[base + 2 * first] + features[base + 2 * second];
        }
        return Dataset.regression(features, new int[] {length, 2}, targets, new int[] {1});
    }
}
