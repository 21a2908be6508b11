package dev.ravine.data;

import dev.ravine.kernel.Gemm;
import dev.ravine.linalg.SymmetricEigen;

/**
 * The linear part of the PCA-based feature transforms {@code y = (x - mean) W}, fitted on training features from
 * their covariance {@code C = U diag(lambda) U^T} (population covariance, eigenvalues largest first):
 * <ul>
 *   <li>{@link Normalizer.Kind#PCA} (decorrelation): {@code W = U}, a rotation onto the principal axes; the
 *       features become uncorrelated with variances lambda, ordered from the largest;</li>
 *   <li>{@link Normalizer.Kind#PCA_WHITEN}: {@code W = U diag(1 / sqrt(lambda + eps))}, uncorrelated with variance
 *       lambda / (lambda + eps), about 1 where lambda >> eps;</li>
 *   <li>{@link Normalizer.Kind#ZCA_WHITEN}: {@code W = U diag(1 / sqrt(lambda + eps)) U^T}, the same whitening
 *       rotated back onto the input axes; W is symmetric, and of all whitening matrices it changes the data least
 *       (Bell and Sejnowski, 1997; Kessy et al., 2018), so whitened images still look like images.</li>
 * </ul>
 * {@code eps} is {@code relativeEpsilon} times the mean eigenvalue (the average feature variance, trace(C) / d), so
 * the same setting means the same thing whether pixels are stored as 0..255 or 0..1. It bounds the gain on
 * low-variance directions (for MNIST, the near-constant border pixels and pixel noise) at 1 / sqrt(eps), where
 * plain whitening would divide by a near-zero standard deviation and blow noise up to the scale of the digits.
 *
 * @param mean   the feature means subtracted first (length d)
 * @param matrix W, d x d row-major
 */
record Whitening(float[] mean, float[] matrix, int features) {
    /** Samples per block of the covariance accumulation: a block of rows stays in cache while it is used d times. */
    private static final int BLOCK = 64;

    static Whitening fit(Normalizer.Kind kind, Dataset train, double relativeEpsilon) {
        if (!(relativeEpsilon >= 0) || Double.isInfinite(relativeEpsilon)) {
            throw new IllegalArgumentException("the whitening epsilon must be a finite number >= 0, got " + relativeEpsilon);
        }
        int d = train.sampleSize();
        double[] mean = featureMeans(train);
        SymmetricEigen eigen = SymmetricEigen.of(covariance(train, mean), d);
        double eps = relativeEpsilon * meanEigenvalue(eigen);
        if (kind != Normalizer.Kind.PCA && !(eps > 0) && !(eigen.values()[d - 1] > 0)) {
            throw new DataFormatException("whitening divides by sqrt(lambda + eps), but the training covariance has an eigenvalue of "
                    + eigen.values()[d - 1] + " (a constant or redundant feature) and eps is 0; set a positive whiten_epsilon");
        }
        double[] gains = new double[d];
        for (int k = 0; k < d; k++) gains[k] = kind == Normalizer.Kind.PCA ? 1 : 1 / Math.sqrt(Math.max(eigen.values()[k], 0) + eps);
        float[] w = switch (kind) {
            case PCA, PCA_WHITEN -> axesMatrix(eigen, gains);
            case ZCA_WHITEN -> zcaMatrix(eigen, gains);
            default -> throw new IllegalArgumentException(kind.id() + " is not a whitening kind");
        };
        float[] m = new float[d];
        for (int j = 0; j < d; j++) m[j] = (float) mean[j];
        return new Whitening(m, w, d);
    }

    private static double[] featureMeans(Dataset train) {
        int d = train.sampleSize(), n = train.size();
        float[] x = train.features();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) mean[j] += x[i * d + j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        return mean;
    }

    /**
     * C = (1/n) sum (x - mean)(x - mean)^T in double, upper triangle then mirrored. Blocks of BLOCK centred samples
     * are accumulated row by row of C, so each row of C stays in cache while the block's samples update it.
     */
    static double[] covariance(Dataset train, double[] mean) {
        int d = train.sampleSize(), n = train.size();
        float[] x = train.features();
        double[] c = new double[d * d];
        double[] block = new double[BLOCK * d];
        for (int start = 0; start < n; start += BLOCK) {
            int rows = Math.min(BLOCK, n - start);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < d; j++) block[r * d + j] = x[(start + r) * d + j] - mean[j];
            }
            for (int i = 0; i < d; i++) {
                int row = i * d;
                for (int r = 0; r < rows; r++) {
                    double xi = block[r * d + i];
                    if (xi == 0) continue; // common for pixel data (blank borders)
                    int base = r * d;
                    for (int j = i; j < d; j++) c[row + j] += xi * block[base + j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                c[i * d + j] /= n;
                c[j * d + i] = c[i * d + j];
            }
        }
        return c;
    }

    private static double meanEigenvalue(SymmetricEigen eigen) {
        double sum = 0;
        for (double v : eigen.values()) sum += Math.max(v, 0);
        return sum / eigen.n();
    }

    /** W[i][k] = U[i][k] * gains[k]: column k of W is eigenvector k, scaled for the whitening kinds. */
    private static float[] axesMatrix(SymmetricEigen eigen, double[] gains) {
        int d = eigen.n();
        double[] u = eigen.vectors();
        float[] w = new float[d * d];
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < d; i++) w[i * d + k] = (float) (u[k * d + i] * gains[k]);
        }
        return w;
    }

    /** W = U diag(gains) U^T, accumulated in double over the upper triangle and mirrored, so exactly symmetric. */
    private static float[] zcaMatrix(SymmetricEigen eigen, double[] gains) {
        int d = eigen.n();
        double[] u = eigen.vectors();
        double[] w = new double[d * d];
        for (int k = 0; k < d; k++) {
            int vk = k * d;
            for (int i = 0; i < d; i++) {
                double a = u[vk + i] * gains[k];
                if (a == 0) continue;
                int row = i * d;
                for (int j = i; j < d; j++) w[row + j] += a * u[vk + j];
            }
        }
        float[] out = new float[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) out[i * d + j] = out[j * d + i] = (float) w[i * d + j];
        }
        return out;
    }

    /** y = (x - mean) W for {@code x.length / d} samples of d features, as one matrix product. */
    float[] apply(float[] x) {
        int d = features, n = x.length / d;
        float[] centred = new float[x.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) centred[i * d + j] = x[i * d + j] - mean[j];
        }
        float[] y = new float[x.length];
        Gemm.gemm(false, false, n, d, d, 1f, centred, 0, d, matrix, 0, d, 0f, y, 0, d);
        return y;
    }
}
