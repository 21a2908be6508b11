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
 */
public record DataConfig(DataSource train, DataSource validation, DataSource test, double validationSplit, String label,
                         Normalizer.Kind normalize, boolean shuffle, Origin origin, Integer trainSubset, AugmentConfig augment,
                         double whitenEpsilon) {
    public DataConfig(DataSource train, DataSource validation, DataSource test, double validationSplit, String label,
                      Normalizer.Kind normalize, boolean shuffle, Origin origin) {
        this(train, validation, test, validationSplit, label, normalize, shuffle, origin, null, null, Normalizer.DEFAULT_WHITEN_EPSILON);
    }
}
