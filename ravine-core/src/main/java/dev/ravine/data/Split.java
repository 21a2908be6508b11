package dev.ravine.data;

import dev.ravine.tensor.Rng;
import java.util.Arrays;

/**
 * A data set divided at random into a training part and a held-out validation part, used to measure generalization
 * during training without touching the test set.
 *
 * @param train      the samples to fit on (and to fit a {@link Normalizer} on)
 * @param validation the held-out samples; empty when the fraction is 0
 */
public record Split(Dataset train, Dataset validation) {

    /**
     * Puts {@code round(size * validationFraction)} samples, chosen by a shuffle seeded with {@code seed}, into the
     * validation set and the rest into the training set. Not stratified: with thousands of samples the class
     * proportions of a random split are already close to the whole set's.
     */
    public static Split of(Dataset data, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction
                    + "; use e.g. 0.1 to hold out 10% of the samples, or 0 for no validation set");
        }
        int n = data.size();
        int validationSize = (int) Math.round(n * validationFraction);
        if (n > 0 && validationSize == n) {
            throw new IllegalArgumentException("a validation fraction of " + validationFraction + " of " + n
                    + " samples leaves no training samples; lower the fraction or use more data");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        new Rng(seed).shuffle(order);
        // Each part keeps the source order, so that iterating it without shuffling reads the data as the file has it.
        int[] validation = Arrays.copyOfRange(order, 0, validationSize);
        int[] train = Arrays.copyOfRange(order, validationSize, n);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new Split(data.subset(train), data.subset(validation));
    }
}
