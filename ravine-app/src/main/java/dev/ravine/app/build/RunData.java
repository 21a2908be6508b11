package dev.ravine.app.build;

import dev.ravine.app.config.DataConfig;
import dev.ravine.app.config.DataSource;
import dev.ravine.data.DataChecks;
import dev.ravine.data.DataFormatException;
import dev.ravine.data.Dataset;
import dev.ravine.data.Normalizer;
import dev.ravine.data.Split;
import dev.ravine.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data of a run, ready for training: read, checked for NaN/Inf, the validation part split off (with the run's
 * seed) or read, and the normalizer fitted on the training part only and applied to every set.
 *
 * @param validation null when the run has no validation data
 * @param test       null when the config names no test set
 * @param nonFiniteTrain with the check of the training set's values left to the doctor: the error a NaN or infinite
 *                       training value would have raised at load time (null when every value is finite)
 */
public record RunData(Dataset train, Dataset validation, Dataset test, Normalizer normalizer, DataFormatException nonFiniteTrain) {

    public RunData(Dataset train, Dataset validation, Dataset test, Normalizer normalizer) {
        this(train, validation, test, normalizer, null);
    }

    public static RunData load(DataConfig config, boolean regression, long seed) {
        return load(config, regression, seed, false);
    }

    /**
     * @param doctorChecksTrain leave NaN/Inf in the training set to the doctor (its data_nan finding, which a run
     *                          records before it stops): the set is loaded, the error kept in {@link #nonFiniteTrain},
     *                          and the normalizer fitted on the rows whose values are all finite
     */
    public static RunData load(DataConfig config, boolean regression, long seed, boolean doctorChecksTrain) {
        Dataset raw = doctorChecksTrain ? readUnchecked(config.train(), "train", config.label(), regression)
                : read(config.train(), "train", config.label(), regression);
        Dataset all = TrainSubset.first(raw, config.trainSubset(), config.train(), config.origin());
        DataFormatException nonFinite = null;
        try {
            DataChecks.requireFinite(all, "train data (" + config.train() + ")");
        } catch (DataFormatException e) {
            nonFinite = e;
        }
        Dataset train = all;
        Dataset validation = null;
        if (config.validation() != null) {
            validation = read(config.validation(), "validation", config.label(), regression);
        } else if (config.validationSplit() > 0) {
            Split split = Split.of(all, config.validationSplit(), seed);
            train = split.train();
            validation = split.validation().size() > 0 ? split.validation() : null;
        }
        Dataset test = config.test() == null ? null : read(config.test(), "test", config.label(), regression);
        requireSameShape(train, validation, "validation", config.validation() != null ? config.validation() : config.train());
        requireSameShape(train, test, "test", config.test());
        Normalizer normalizer = Normalizer.fit(config.normalize(), nonFinite == null ? train : finiteRows(train), config.whitenEpsilon());
        return new RunData(normalizer.apply(train), validation == null ? null : normalizer.apply(validation),
                test == null ? null : normalizer.apply(test), normalizer, nonFinite);
    }

    /** The samples whose features (and regression targets) are all finite. */
    private static Dataset finiteRows(Dataset d) {
        int f = d.sampleSize();
        float[] x = d.features();
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            boolean finite = true;
            for (int j = 0; j < f && finite; j++) finite = Float.isFinite(x[i * f + j]);
            if (finite && !d.isClassification()) for (int j = 0; j < d.targetSize() && finite; j++) finite = Float.isFinite(d.targets()[i * d.targetSize() + j]);
            if (finite) keep.add(i);
        }
        if (keep.isEmpty()) throw new DataFormatException("every training sample holds a NaN or infinite value: nothing to fit the normalizer on");
        return d.subset(keep.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Dataset readUnchecked(DataSource source, String role, String label, boolean regression) {
        Dataset d = DatasetReader.read(source, label, regression);
        if (d.size() == 0) throw new DataFormatException(role + " data (" + source + ") has no samples");
        return d;
    }

    /** Reads and checks one set, e.g. for {@code ravine eval}. */
    public static Dataset read(DataSource source, String role, String label, boolean regression) {
        Dataset d = DatasetReader.read(source, label, regression);
        DataChecks.requireFinite(d, role + " data (" + source + ")");
        if (d.size() == 0) throw new DataFormatException(role + " data (" + source + ") has no samples");
        return d;
    }

    private static void requireSameShape(Dataset train, Dataset other, String role, DataSource source) {
        if (other == null) return;
        if (!Arrays.equals(train.sampleShape(), other.sampleShape())) {
            throw new DataFormatException(role + " data (" + source + ") has samples of shape " + Shape.str(other.sampleShape())
                    + " but the training data has " + Shape.str(train.sampleShape()) + "; both must come from the same data set");
        }
        if (train.isClassification() != other.isClassification()) {
            throw new DataFormatException(role + " data (" + source + ") has " + (other.isClassification() ? "class labels" : "regression targets")
                    + " but the training data has " + (train.isClassification() ? "class labels" : "regression targets"));
        }
    }

    /** Number of classes over every set (a test set may hold a class the training part lacks); 0 for regression. */
    public int numClasses() {
        if (!train.isClassification()) return 0;
        int n = train.numClasses();
        if (validation != null) n = Math.max(n, validation.numClasses());
        if (test != null) n = Math.max(n, test.numClasses());
        return n;
    }
}
