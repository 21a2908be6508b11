package dev.ravine.app.config;

import dev.ravine.data.Normalizer;

/**
 * The {@code data} section.
 *
 * @param train           the training data (required)
 * @param validation      an explicit validation set, or null
 * @param test            a test set evaluated once on the final model, or null
 * @param validationSplit the fraction of {@code train} held out for validation when {@code validation} is null
 * @param label           the label column of csv sources, or null
 * @param normalize       the feature transform, fitted on the training part only
 * @param shuffle         a new sample order every epoch
 * @param trainSubset     train on the first this many samples of {@code train} only (null: all of them)
 * @param augment         random augmentation of the training images, or null
 * @param whitenEpsilon   pca_whiten / zca_whiten: the eigenvalue regularizer as a fraction of the mean feature variance
 * @param sampler         how training batches draw samples: random (the data.shuffle order) or balanced (by class, with
 *                        replacement, as torch's WeightedRandomSampler with 1 / class count)
 */
public record DataConfig(DataSource train, DataSource validation, DataSource test, double validationSplit, String label,
                         Normalizer.Kind normalize, boolean shuffle, Origin origin, Integer trainSubset, AugmentConfig augment,
                         double whitenEpsilon, String sampler) {
    public static final java.util.List<String> SAMPLERS = java.util.List.of("random", "balanced");

    public DataConfig {
        if (sampler == null) sampler = "random";
    }

    public DataConfig(DataSource train, DataSource validation, DataSource test, double validationSplit, String label,
                      Normalizer.Kind normalize, boolean shuffle, Origin origin, Integer trainSubset, AugmentConfig augment,
                      double whitenEpsilon) {
        this(train, validation, test, validationSplit, label, normalize, shuffle, origin, trainSubset, augment, whitenEpsilon, null);
    }

    public boolean balanced() {
        return sampler.equals("balanced");
    }

    public DataConfig(DataSource train, DataSource validation, DataSource test, double validationSplit, String label,
                      Normalizer.Kind normalize, boolean shuffle, Origin origin) {
        this(train, validation, test, validationSplit, label, normalize, shuffle, origin, null, null, Normalizer.DEFAULT_WHITEN_EPSILON);
    }
}
