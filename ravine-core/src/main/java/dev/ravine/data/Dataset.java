package dev.ravine.data;

import dev.ravine.tensor.Shape;

/**
 * An in-memory labelled data set: {@code n} samples of one shape, stored as a single row-major float array
 * {@code [n, ...sampleShape]}, with either a class label per sample (classification) or a float target of a fixed
 * shape per sample (regression).
 *
 * <p>The arrays are not copied on the way in or out: data sets are large (Fashion-MNIST is 47 million floats) and
 * every transform ({@link #subset}, {@link Normalizer#apply}) builds a new data set instead of mutating one, so
 * callers must treat the arrays as read-only.
 */
public final class Dataset {
    private final float[] features;
    private final int[] sampleShape;
    private final int sampleSize;
    private final int size;
    private final int[] labels;
    private final int numClasses;
    private final float[] targets;
    private final int[] targetShape;
    private final int targetSize;

    private Dataset(float[] features, int[] sampleShape, int size, int[] labels, int numClasses, float[] targets,
            int[] targetShape) {
        this.features = features;
        this.sampleShape = sampleShape;
        this.sampleSize = Shape.numel(sampleShape);
        this.size = size;
        this.labels = labels;
        this.numClasses = numClasses;
        this.targets = targets;
        this.targetShape = targetShape;
        this.targetSize = targetShape == null ? 0 : Shape.numel(targetShape);
        requireFeatureCount();
    }

    /** A classification data set; {@code labels[i]} is the class of sample {@code i}, in {@code [0, numClasses)}. */
    public static Dataset classification(float[] features, int[] sampleShape, int[] labels, int numClasses) {
        requireSampleShape(sampleShape);
        if (numClasses < 1) {
            throw new DataFormatException("numClasses must be at least 1, got " + numClasses);
        }
        requireLabelsInRange(labels, numClasses);
        return new Dataset(features, sampleShape.clone(), labels.length, labels, numClasses, null, null);
    }

    /** A regression data set; sample {@code i}'s target is {@code targets[i*t .. (i+1)*t)} with t = numel(targetShape). */
    public static Dataset regression(float[] features, int[] sampleShape, float[] targets, int[] targetShape) {
        requireSampleShape(sampleShape);
        requireSampleShape(targetShape);
        int targetSize = Shape.numel(targetShape);
        if (targets.length % targetSize != 0) {
            throw new DataFormatException("targets hold " + targets.length + " values, which is not a whole number of "
                    + "targets of shape " + Shape.str(targetShape) + " (" + targetSize + " values each)");
        }
        return new Dataset(features, sampleShape.clone(), targets.length / targetSize, null, 0, targets,
                targetShape.clone());
    }

    private static void requireSampleShape(int[] shape) {
        for (int s : shape) {
            if (s <= 0) {
                throw new DataFormatException("sample and target shapes need positive sizes, got " + Shape.str(shape));
            }
        }
    }

    private static void requireLabelsInRange(int[] labels, int numClasses) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new DataFormatException("label " + labels[i] + " of sample " + i + " is outside [0, " + numClasses
                        + "); labels must be 0-based class indices and numClasses must exceed the largest one");
            }
        }
    }

    private void requireFeatureCount() {
        long expected = (long) size * sampleSize;
        if (features.length != expected) {
            throw new DataFormatException("features hold " + features.length + " values but " + size + " samples of "
                    + "shape " + Shape.str(sampleShape) + " need " + expected + "; the number of "
                    + (labels != null ? "labels" : "targets") + " and of feature rows must agree");
        }
    }

    /** The same samples with other features of the same shape, e.g. normalized; labels and targets are shared. */
    Dataset withFeatures(float[] newFeatures) {
        return new Dataset(newFeatures, sampleShape, size, labels, numClasses, targets, targetShape);
    }

    public int size() {
        return size;
    }

    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** Number of feature values per sample: the product of {@link #sampleShape()}. */
    public int sampleSize() {
        return sampleSize;
    }

    /** All features, row-major {@code [size, ...sampleShape]}; the backing array, not a copy: do not modify. */
    public float[] features() {
        return features;
    }

    public boolean isClassification() {
        return labels != null;
    }

    /** Number of classes of a classification set; 0 for a regression set. */
    public int numClasses() {
        return numClasses;
    }

    /** A copy of the class labels; fails for a regression set, which has float targets instead. */
    public int[] labels() {
        requireClassification("labels()");
        return labels.clone();
    }

    /** How many samples each class has, indexed by class; classes with no sample count 0. */
    public int[] classCounts() {
        requireClassification("classCounts()");
        int[] counts = new int[numClasses];
        for (int label : labels) counts[label]++;
        return counts;
    }

    /** Regression targets, row-major {@code [size, ...targetShape]}; the backing array: do not modify. */
    public float[] targets() {
        if (targets == null) {
            throw new DataFormatException("targets() is for regression data sets; this one has class labels, use labels()");
        }
        return targets;
    }

    /** Shape of one regression target; empty for a classification set (one int label per sample). */
    public int[] targetShape() {
        return targetShape == null ? new int[0] : targetShape.clone();
    }

    /** Number of target values per sample of a regression set. */
    public int targetSize() {
        return targetSize;
    }

    private void requireClassification(String method) {
        if (labels == null) {
            throw new DataFormatException(method + " is for classification data sets; this is a regression set with float targets of shape "
                    + Shape.str(targetShape) + ", use targets()");
        }
    }

    /** Class label of sample {@code i} (classification only), without copying the label array. */
    int label(int i) {
        return labels[i];
    }

    /** The samples at {@code indices}, in that order (repeats allowed), copied into a new data set. */
    public Dataset subset(int[] indices) {
        float[] newFeatures = new float[Math.multiplyExact(indices.length, sampleSize)];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(features, checkedIndex(indices[k]) * sampleSize, newFeatures, k * sampleSize, sampleSize);
        }
        if (labels != null) {
            int[] newLabels = new int[indices.length];
            for (int k = 0; k < indices.length; k++) newLabels[k] = labels[indices[k]];
            return new Dataset(newFeatures, sampleShape, indices.length, newLabels, numClasses, null, null);
        }
        float[] newTargets = new float[indices.length * targetSize];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(targets, indices[k] * targetSize, newTargets, k * targetSize, targetSize);
        }
        return new Dataset(newFeatures, sampleShape, indices.length, null, 0, newTargets, targetShape);
    }

    private int checkedIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("sample index " + i + " is outside [0, " + size + ")");
        }
        return i;
    }

    @Override
    public String toString() {
        String target = labels != null ? numClasses + " classes" : "targets " + Shape.str(targetShape);
        return "Dataset[" + size + " samples " + Shape.str(sampleShape) + ", " + target + "]";
    }
}
