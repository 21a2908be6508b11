package dev.ravine.data;

import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A feature transform {@code y = (x - mean[g]) / scale[g]} whose parameters are fitted on the training set only, then
 * applied unchanged to validation, test and inference inputs. Fitting on anything but the training set would leak
 * information about the held-out data into the model and make its scores optimistic.
 *
 * <p>The features of a sample are divided into groups of consecutive values that share one (mean, scale) pair:
 * <ul>
 *   <li>{@link Kind#NONE}: the identity (one group, mean 0, scale 1);</li>
 *   <li>{@link Kind#SCALE01}: one group, mean = the minimum and scale = max - min over all training features, mapping
 *       the training range to [0, 1] (for 0..255 images this is dividing by 255);</li>
 *   <li>{@link Kind#STANDARDIZE}: mean and (population) standard deviation per channel when samples have three axes
 *       {@code [c, h, w]}, as PyTorch's {@code Normalize(mean, std)} does for images, and per feature otherwise.</li>
 * </ul>
 * The PCA kinds ({@link Kind#PCA}, {@link Kind#PCA_WHITEN}, {@link Kind#ZCA_WHITEN}) subtract the per-feature mean
 * (scale 1) and then multiply each sample, as a row vector of all its features, by a d x d matrix fitted from the
 * training covariance: {@code y = (x - mean) W}; see {@link Whitening}.
 * A scale of zero (a constant feature, e.g. an MNIST corner pixel that is always 0) is replaced by 1: dividing by it
 * would give NaN, and the constant carries no information anyway, so it just becomes 0 after subtracting the mean.
 *
 * <p>{@link #state()} and {@link #fromState} save and restore the parameters with a model, so inference applies the
 * transform the model was trained with.
 */
public final class Normalizer {

    /** The kinds of normalization, by the names used on command lines and in configs. */
    public enum Kind {
        NONE(0),
        SCALE01(1),
        STANDARDIZE(2),
        PCA(3),
        PCA_WHITEN(4),
        ZCA_WHITEN(5);

        /** Stable code stored in {@link #state()}; independent of declaration order so saved states stay readable. */
        final int code;

        Kind(int code) {
            this.code = code;
        }

        /** True for the kinds that multiply by a fitted matrix (pca, pca_whiten, zca_whiten). */
        public boolean usesMatrix() {
            return this == PCA || this == PCA_WHITEN || this == ZCA_WHITEN;
        }

        /** The lower-case name: none, scale01, standardize, pca, pca_whiten or zca_whiten. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a name of {@link #id()} (any case). */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.id().equalsIgnoreCase(name.trim())) return k;
            }
            throw new IllegalArgumentException("unknown normalization '" + name + "'; valid names are "
                    + Stream.of(values()).map(Kind::id).collect(Collectors.joining(", ")));
        }

        static Kind ofCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) return k;
            }
            throw new DataFormatException("normalizer state has kind code " + code + ", which this version does not "
                    + "know (known: 0 none, 1 scale01, 2 standardize, 3 pca, 4 pca_whiten, 5 zca_whiten); was it saved by a newer version?");
        }
    }

    static final String KIND = "kind";
    static final String SAMPLE_SHAPE = "sampleShape";
    static final String MEAN = "mean";
    static final String SCALE = "scale";
    static final String MATRIX = "matrix";

    /**
     * The default {@code whitenEpsilon}: 0.1 of the average feature variance. On the MNIST-10k training digits that
     * leaves 86 of the 784 principal directions above 0.9 of unit variance after whitening and 302 above 0.5
     * (measured with bench's WhiteningFit); the weaker ones (pixel noise, near-blank borders) are damped instead of
     * amplified to the scale of the strokes. Being relative, the same value suits pixels stored as 0..255 or 0..1.
     */
    public static final double DEFAULT_WHITEN_EPSILON = 0.1;

    private final Kind kind;
    private final int[] sampleShape;
    private final float[] mean;
    private final float[] scale;
    /** Consecutive features per group: sampleSize / number of groups. */
    private final int groupSize;
    /** The fitted matrix of the PCA kinds, else null. */
    private final Whitening whitening;

    private Normalizer(Kind kind, int[] sampleShape, float[] mean, float[] scale) {
        this(kind, sampleShape, mean, scale, null);
    }

    private Normalizer(Kind kind, int[] sampleShape, Whitening whitening) {
        this(kind, sampleShape, whitening.mean(), ones(whitening.features()), whitening);
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return v;
    }

    private Normalizer(Kind kind, int[] sampleShape, float[] mean, float[] scale, Whitening whitening) {
        int sampleSize = Shape.numel(sampleShape);
        if (mean.length != scale.length || mean.length == 0 || sampleSize % mean.length != 0) {
            throw new DataFormatException("normalizer has " + mean.length + " means and " + scale.length + " scales "
                    + "for samples of shape " + Shape.str(sampleShape) + "; they must be equal in number and divide the "
                    + sampleSize + " features of a sample");
        }
        this.kind = kind;
        this.sampleShape = sampleShape;
        this.mean = mean;
        this.scale = scale;
        this.groupSize = sampleSize / mean.length;
        this.whitening = whitening;
    }

    /** Fits the parameters of {@code kind} on the features of {@code train}, whitening with the default epsilon. */
    public static Normalizer fit(Kind kind, Dataset train) {
        return fit(kind, train, DEFAULT_WHITEN_EPSILON);
    }

    /**
     * Fits the parameters of {@code kind} on the features of {@code train}.
     *
     * @param whitenEpsilon for pca_whiten and zca_whiten, the regularizer added to each eigenvalue, as a fraction of
     *                      the average feature variance (see {@link Whitening}); ignored by the other kinds
     */
    public static Normalizer fit(Kind kind, Dataset train, double whitenEpsilon) {
        if (kind != Kind.NONE && train.size() == 0) {
            throw new DataFormatException("cannot fit a " + kind.id() + " normalizer on an empty training set");
        }
        int[] shape = train.sampleShape();
        Normalizer fitted = switch (kind) {
            case NONE -> new Normalizer(kind, shape, new float[] {0}, new float[] {1});
            case SCALE01 -> fitMinMax(train);
            case STANDARDIZE -> fitStandardize(train, shape.length == 3 ? shape[0] : train.sampleSize());
            case PCA, PCA_WHITEN, ZCA_WHITEN -> new Normalizer(kind, shape, Whitening.fit(kind, train, whitenEpsilon));
        };
        fitted.requireFiniteParameters();
        return fitted;
    }

    /** A NaN or infinity in the training data would silently turn every transformed value into NaN. */
    private void requireFiniteParameters() {
        if (whitening != null) {
            for (float w : whitening.matrix()) {
                if (!Float.isFinite(w)) {
                    throw new DataFormatException("fitting the " + kind.id() + " normalizer gave a non-finite matrix entry (" + w
                            + "); the training data holds NaN or infinite values, or a variance too large for float");
                }
            }
        }
        for (int g = 0; g < mean.length; g++) {
            if (!Float.isFinite(mean[g]) || !Float.isFinite(scale[g])) {
                throw new DataFormatException("fitting the " + kind.id() + " normalizer gave mean " + mean[g]
                        + " and scale " + scale[g] + " for feature group " + g + ": the training data holds NaN or "
                        + "infinite values; find them with DataChecks.requireFinite and clean the data");
            }
        }
    }

    private static Normalizer fitMinMax(Dataset train) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : train.features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new Normalizer(Kind.SCALE01, train.sampleShape(), new float[] {min}, new float[] {nonZero(max - min)});
    }

    /** Per-group mean, then population standard deviation around it (two passes: stable for large offsets). */
    private static Normalizer fitStandardize(Dataset train, int groups) {
        double[] sum = new double[groups];
        forEachValue(train, groups, (g, v) -> sum[g] += v);
        long perGroup = (long) train.size() * (train.sampleSize() / groups);
        double[] mean = new double[groups];
        for (int g = 0; g < groups; g++) mean[g] = sum[g] / perGroup;
        double[] squares = new double[groups];
        forEachValue(train, groups, (g, v) -> squares[g] += (v - mean[g]) * (v - mean[g]));
        float[] m = new float[groups];
        float[] s = new float[groups];
        for (int g = 0; g < groups; g++) {
            m[g] = (float) mean[g];
            s[g] = nonZero((float) Math.sqrt(squares[g] / perGroup));
        }
        return new Normalizer(Kind.STANDARDIZE, train.sampleShape(), m, s);
    }

    private interface GroupValueConsumer {
        void accept(int group, double value);
    }

    private static void forEachValue(Dataset data, int groups, GroupValueConsumer consumer) {
        float[] x = data.features();
        int groupSize = data.sampleSize() / groups;
        int i = 0;
        for (int sample = 0; sample < data.size(); sample++) {
            for (int g = 0; g < groups; g++) {
                for (int k = 0; k < groupSize; k++) consumer.accept(g, x[i++]);
            }
        }
    }

    private static float nonZero(float scale) {
        return scale == 0 ? 1 : scale;
    }

    /** A new data set with the transformed features (the same one for {@link Kind#NONE}); labels are shared. */
    public Dataset apply(Dataset data) {
        requireSampleShape(data.sampleShape());
        return kind == Kind.NONE ? data : data.withFeatures(transform(data.features()));
    }

    /** Transforms a batch of inputs of shape {@code [b, ...sampleShape]} (or one sample), e.g. at inference. */
    public Tensor apply(Tensor inputs) {
        int[] shape = inputs.shape();
        int lead = shape.length - sampleShape.length;
        if (lead < 0 || !Arrays.equals(Arrays.copyOfRange(shape, lead, shape.length), sampleShape)) {
            throw new DataFormatException("input of shape " + Shape.str(shape) + " does not end with the sample shape "
                    + Shape.str(sampleShape) + " this normalizer was fitted on; reshape the input to [b, "
                    + Shape.str(sampleShape).substring(1));
        }
        return Tensor.of(transform(inputs.values()), shape);
    }

    private void requireSampleShape(int[] shape) {
        if (!Arrays.equals(shape, sampleShape)) {
            throw new DataFormatException("this normalizer was fitted on samples of shape " + Shape.str(sampleShape)
                    + " and cannot transform samples of shape " + Shape.str(shape) + "; fit one on this data's training set");
        }
    }

    private float[] transform(float[] x) {
        if (whitening != null) return whitening.apply(x);
        float[] y = new float[x.length];
        int groups = mean.length;
        int i = 0;
        while (i < x.length) {
            for (int g = 0; g < groups; g++) {
                float m = mean[g];
                float s = scale[g];
                for (int k = 0; k < groupSize; k++, i++) y[i] = (x[i] - m) / s;
            }
        }
        return y;
    }

    public Kind kind() {
        return kind;
    }

    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** The value subtracted from each group of features (the minimum for {@link Kind#SCALE01}). */
    public float[] mean() {
        return mean.clone();
    }

    /**
     * The divisor of each group of features (max - min for {@link Kind#SCALE01}, the std for standardize, 1 for the
     * PCA kinds, whose scaling is in their matrix); never 0.
     */
    public float[] scale() {
        return scale.clone();
    }

    /** The parameters, as named float arrays that a checkpoint can store: kind, sampleShape, mean, scale (and matrix). */
    public Map<String, float[]> state() {
        Map<String, float[]> state = new LinkedHashMap<>();
        state.put(KIND, new float[] {kind.code});
        float[] shape = new float[sampleShape.length];
        for (int i = 0; i < shape.length; i++) shape[i] = sampleShape[i];
        state.put(SAMPLE_SHAPE, shape);
        state.put(MEAN, mean.clone());
        state.put(SCALE, scale.clone());
        if (whitening != null) state.put(MATRIX, whitening.matrix().clone());
        return state;
    }

    /** The normalizer whose {@link #state()} this is. */
    public static Normalizer fromState(Map<String, float[]> state) {
        for (String key : new String[] {KIND, SAMPLE_SHAPE, MEAN, SCALE}) {
            if (!state.containsKey(key)) {
                throw new DataFormatException("normalizer state lacks '" + key + "' (it has " + state.keySet()
                        + "; it needs kind, sampleShape, mean and scale): was it saved by Normalizer.state()?");
            }
        }
        float[] kindCode = state.get(KIND);
        if (kindCode.length != 1) {
            throw new DataFormatException("normalizer state 'kind' must hold 1 value, got " + kindCode.length);
        }
        float[] scale = state.get(SCALE).clone();
        for (float s : scale) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new DataFormatException("normalizer state has scale " + s + "; scales must be positive and finite");
            }
        }
        Kind kind = Kind.ofCode((int) kindCode[0]);
        int[] shape = toShape(state.get(SAMPLE_SHAPE));
        if (!kind.usesMatrix()) return new Normalizer(kind, shape, state.get(MEAN).clone(), scale);
        int d = Shape.numel(shape);
        float[] matrix = state.get(MATRIX);
        if (matrix == null || matrix.length != d * d || state.get(MEAN).length != d) {
            throw new DataFormatException("a " + kind.id() + " normalizer state needs 'mean' with " + d + " values and 'matrix' with "
                    + d + " x " + d + " values for samples of shape " + Shape.str(shape) + "; got " + state.get(MEAN).length
                    + " and " + (matrix == null ? "none" : String.valueOf(matrix.length)));
        }
        return new Normalizer(kind, shape, new Whitening(state.get(MEAN).clone(), matrix.clone(), d));
    }

    private static int[] toShape(float[] values) {
        int[] shape = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            shape[i] = (int) values[i];
            if (shape[i] != values[i] || shape[i] <= 0) {
                throw new DataFormatException("normalizer state has sample shape " + Arrays.toString(values)
                        + "; sizes must be positive integers");
            }
        }
        return shape;
    }

    @Override
    public String toString() {
        if (whitening != null) {
            return "Normalizer[" + kind.id() + ", " + mean.length + " x " + mean.length + " matrix over samples " + Shape.str(sampleShape) + "]";
        }
        return "Normalizer[" + kind.id() + ", " + mean.length + " group(s) over samples " + Shape.str(sampleShape) + "]";
    }
}
