package dev.ravine.data;

import dev.ravine.tensor.Rng;

/**
 * Small generated data sets whose difficulty is known by construction, for the doctor's pathology suite
 * (examples/pathologies/) and for tests: each one isolates one way training fails.
 * <ul>
 *   <li>{@link #blobs}: Gaussian classes in d dimensions, optionally with per-feature scales spread over several orders
 *       of magnitude (badly scaled features), ordered by label (unshuffled), or with NaN values sprinkled in;</li>
 *   <li>{@link #spirals}: interleaved spirals, which no linear classifier separates (model bias for a small model);</li>
 *   <li>{@link #linear}: regression y = w . x with correlated features, so the mean-squared-error surface of a linear
 *       model is an elongated valley with condition number {@code condition} (a ravine), or, for one feature and
 *       y = x, the surface on which a zero-initialized two-layer linear net starts at a saddle point.</li>
 *   <li>{@link #sequence}: token sequences in which one token occurs twice; the label is that token. Finding it means
 *       comparing positions with each other, what self-attention does (an embedding and attention example).</li>
 * </ul>
 * All are seeded and deterministic.
 */
public final class SyntheticData {
    private SyntheticData() {}

    /**
     * @param scaleRange feature j is multiplied by scaleRange^(j / (dims - 1)): 1 keeps every feature at unit scale,
     *                   1e4 spreads them from 1 to 10,000
     * @param sorted     samples ordered by class (all of class 0 first), as a data set sorted by label
     * @param nanFraction fraction of feature values replaced by NaN (0: none)
     */
    public static Dataset blobs(int classes, int dims, int samples, double separation, double scaleRange, boolean sorted, double nanFraction,
                                long seed) {
        require(classes >= 2 && dims >= 1 && samples >= classes, "blobs need classes >= 2, dims >= 1 and samples >= classes");
        Rng rng = new Rng(seed);
        double[][] centres = new double[classes][dims];
        for (double[] c : centres) for (int j = 0; j < dims; j++) c[j] = separation * rng.nextGaussian();
        float[] x = new float[samples * dims];
        int[] y = new int[samples];
        for (int i = 0; i < samples; i++) {
            y[i] = sorted ? (int) ((long) i * classes / samples) : rng.nextInt(classes);
            for (int j = 0; j < dims; j++) {
                double scale = dims == 1 ? 1 : Math.pow(scaleRange, (double) j / (dims - 1));
                x[i * dims + j] = (float) (scale * (centres[y[i]][j] + rng.nextGaussian()));
            }
        }
        for (int k = 0; k < x.length; k++) if (nanFraction > 0 && rng.nextDouble() < nanFraction) x[k] = Float.NaN;
        return Dataset.classification(x, new int[] {dims}, y, classes);
    }

    /**
     * Sequences of {@code length} token ids (stored as floats, the input of an embedding layer) from a vocabulary of
     * {@code vocab}: {@code length - 1} distinct tokens in random order, one of which appears a second time at a random
     * position; the label is the repeated token, so there are {@code vocab} classes and chance is 1 / vocab.
     */
    public static Dataset sequence(int vocab, int length, int samples, long seed) {
        require(length >= 2 && vocab >= length - 1 && vocab >= 2 && samples >= 1,
                "sequence needs length >= 2, vocab >= max(2, length - 1) and samples >= 1");
        Rng rng = new Rng(seed);
        float[] x = new float[samples * length];
        int[] y = new int[samples];
        int[] tokens = new int[vocab];
        for (int i = 0; i < samples; i++) {
            for (int t = 0; t < vocab; t++) tokens[t] = t;
            rng.shuffle(tokens); // the first length - 1 are the distinct tokens
            int repeated = rng.nextInt(length - 1);
            int[] row = new int[length];
            System.arraycopy(tokens, 0, row, 0, length - 1);
            row[length - 1] = tokens[repeated];
            // the copy goes to a random position: swap it there
            int at = rng.nextInt(length);
            int tmp = row[at];
            row[at] = row[length - 1];
            row[length - 1] = tmp;
            for (int p = 0; p < length; p++) x[i * length + p] = row[p];
            y[i] = tokens[repeated];
        }
        return Dataset.classification(x, new int[] {length}, y, vocab);
    }

    /** {@code classes} spirals of {@code turns} turns in the plane, with Gaussian noise of std {@code noise}. */
    public static Dataset spirals(int classes, int samples, double turns, double noise, long seed) {
        require(classes >= 2 && samples >= classes, "spirals need classes >= 2 and samples >= classes");
        Rng rng = new Rng(seed);
        float[] x = new float[samples * 2];
        int[] y = new int[samples];
        for (int i = 0; i < samples; i++) {
            y[i] = rng.nextInt(classes);
            double r = rng.nextDouble();
            double angle = 2 * Math.PI * (turns * r + (double) y[i] / classes);
            x[2 * i] = (float) (r * Math.cos(angle) + noise * rng.nextGaussian());
            x[2 * i + 1] = (float) (r * Math.sin(angle) + noise * rng.nextGaussian());
        }
        return Dataset.classification(x, new int[] {2}, y, classes);
    }

    /**
     * Regression targets y = w . x + noise. With dims = 1: x ~ N(0, 1) and y = x. With dims = 2: x = a u + b v for
     * the orthonormal pair u = (1, 1)/sqrt2, v = (1, -1)/sqrt2 with a ~ N(0, 1), b ~ N(0, 1/condition), so both
     * features have about unit variance but E[x x^T] has eigenvalues 1 and 1/condition, and y = sqrt(condition) b,
     * which lies along the flat direction v: a linear model must travel the whole floor of the valley.
     */
    public static Dataset linear(int dims, int samples, double condition, double noise, long seed) {
        require((dims == 1 || dims == 2) && samples >= 1 && condition >= 1, "linear: dims must be 1 or 2, samples >= 1, condition >= 1");
        Rng rng = new Rng(seed);
        float[] x = new float[samples * dims];
        float[] y = new float[samples];
        double s = Math.sqrt(0.5);
        for (int i = 0; i < samples; i++) {
            if (dims == 1) {
                double v = rng.nextGaussian();
                x[i] = (float) v;
                y[i] = (float) (v + noise * rng.nextGaussian());
            } else {
                double a = rng.nextGaussian(), b = rng.nextGaussian() / Math.sqrt(condition);
                x[2 * i] = (float) (s * (a + b));
                x[2 * i + 1] = (float) (s * (a - b));
                y[i] = (float) (Math.sqrt(condition) * b + noise * rng.nextGaussian());
            }
        }
        return Dataset.regression(x, new int[] {dims}, y, new int[] {1});
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
