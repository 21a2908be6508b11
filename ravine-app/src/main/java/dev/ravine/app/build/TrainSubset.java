package dev.ravine.app.build;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.DataSource;
import dev.ravine.app.config.Origin;
import dev.ravine.data.Dataset;

/**
 * {@code data.train_subset: N}: the first N samples of the training data, in file order, before any validation split.
 * The first N rather than a seeded random N so that every seed (the members of an ensemble, a seed sweep) trains on
 * the same samples; data sets such as Fashion-MNIST are stored in random order, so the first N are a fair sample.
 */
final class TrainSubset {
    private TrainSubset() {}

    /** {@code data} itself when {@code size} is null; {@code origin} is where the data section was written. */
    static Dataset first(Dataset data, Integer size, DataSource source, Origin origin) {
        if (size == null) return data;
        if (size > data.size()) {
            throw new ConfigException("data.train_subset: " + size + " is more than the " + data.size() + " samples of data.train ("
                    + source + "); lower it or remove it to train on all of them (data section at " + origin.describe() + ")");
        }
        int[] indices = new int[size];
        for (int i = 0; i < size; i++) indices[i] = i;
        return data.subset(indices);
    }
}
