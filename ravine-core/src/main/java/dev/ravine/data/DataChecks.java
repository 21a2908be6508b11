package dev.ravine.data;

/**
 * Checks of a data set's contents that are cheap next to training on it and turn a silent failure (a loss that
 * becomes NaN hundreds of steps later) into an error that points at the bad value.
 */
public final class DataChecks {
    private DataChecks() {}

    /**
     * Fails at the first NaN or infinite feature (or regression target), naming {@code source} (e.g. "train data
     * (data/house.csv)"), the sample and the feature index within the sample.
     */
    public static void requireFinite(Dataset data, String source) {
        requireFinite(data.features(), data.sampleSize(), source, "value");
        if (!data.isClassification()) requireFinite(data.targets(), data.targetSize(), source, "target");
    }

    private static void requireFinite(float[] values, int rowSize, String source, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new DataFormatException(source + ": " + what + " " + values[i] + " at sample " + i / rowSize
                        + ", " + (what.equals("value") ? "feature" : "target index") + " " + i % rowSize
                        + "; remove or fill in (impute) non-finite values before training");
            }
        }
    }
}
