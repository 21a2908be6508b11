package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.Normalizer.Kind;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * PCA decorrelation, PCA whitening and ZCA whitening: the covariance of the transformed training data is diagonal
 * (PCA) or the identity (whitening, up to the epsilon's damping), ZCA is symmetric and the whitening nearest to its
 * input, and the fitted transform survives a save and restore. "Identity" means every entry within 1e-3 of I: the
 * transform runs in float32 on features whose variances differ by about 10^2.5, and a test tighter than the float
 * rounding it amplifies in the weakest direction would test the data type, not the fit.
 */
class WhiteningTest {
    private static final int D = 6;

    /** n samples x = z A + offset with z ~ N(0, I): correlated features of
     * very different variances (the rows of A are scaled from 10^-0.5 to 10^0.75). */
    private static Dataset correlated(int n, long seed, float shift) {
        Rng rng = new Rng(seed);
        Rng mixing = new Rng(5); // the same A for every set
        double[] a = new double[D * D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) a[i * D + j] = mixing.nextGaussian() * Math.pow(10, (i - 2) / 4.0);
        }
        float[] x = new float[n * D];
        for (int s = 0; s < n; s++) {
            double[] z = new double[D];
            for (int i = 0; i < D; i++) z[i] = rng.nextGaussian();
            for (int j = 0; j < D; j++) {
                double v = 3 + shift;
                for (int i = 0; i < D; i++) v += z[i] * a[i * D + j];
                x[s * D + j] = (float) v;
            }
        }
        return Dataset.classification(x, new int[] {D}, new int[n], 1);
    }

    /** Population covariance of the features, in double. */
    static double[][] covariance(float[] x, int d) {
        int n = x.length / d;
        double[] mean = new double[d];
        for (int s = 0; s < n; s++) for (int j = 0; j < d; j++) mean[j] += x[s * d + j] / (double) n;
        double[][] c = new double[d][d];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) c[i][j] += (x[s * d + i] - mean[i]) * (x[s * d + j] - mean[j]) / n;
            }
        }
        return c;
    }

    private static double maxDeviationFromIdentity(double[][] c) {
        double worst = 0;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) worst = Math.max(worst, Math.abs(c[i][j] - (i == j ? 1 : 0)));
        }
        return worst;
    }

    @Test void whitenedTrainingDataHasIdentityCovariance() {
        Dataset train = correlated(3000, 1, 0);
        for (Kind kind : new Kind[] {Kind.PCA_WHITEN, Kind.ZCA_WHITEN}) {
            Normalizer w = Normalizer.fit(kind, train, 1e-9);
            double[][] c = covariance(w.apply(train).features(), D);
            double worst = maxDeviationFromIdentity(c);
            assertTrue(worst < 1e-3, kind.id() + ": covariance differs from I by up to " + worst);
            double[][] raw = covariance(train.features(), D);
            assertTrue(maxDeviationFromIdentity(raw) > 1, "the raw data must be far from white for the test to mean anything");
        }
    }

    /** With eps the covariance becomes diag(lambda / (lambda + eps)) in the principal basis: damped, not amplified. */
    @Test void epsilonDampsTheWeakDirections() {
        Dataset train = correlated(3000, 2, 0);
        double[][] pca = covariance(Normalizer.fit(Kind.PCA, train).apply(train).features(), D);
        double meanVariance = 0;
        for (int k = 0; k < D; k++) meanVariance += pca[k][k] / D;
        double relative = 0.5, eps = relative * meanVariance;
        double[][] c = covariance(Normalizer.fit(Kind.PCA_WHITEN, train, relative).apply(train).features(), D);
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                double expected = i == j ? pca[i][i] / (pca[i][i] + eps) : 0;
                assertEquals(expected, c[i][j], 1e-3, "covariance[" + i + "][" + j + "]");
            }
        }
        assertTrue(c[D - 1][D - 1] < 0.1, "the weakest direction is damped: " + c[D - 1][D - 1]);
    }

    @Test void pcaRotatesOntoUncorrelatedAxesOrderedByVariance() {
        Dataset train = correlated(3000, 3, 0);
        double[][] c = covariance(Normalizer.fit(Kind.PCA, train).apply(train).features(), D);
        double[][] raw = covariance(train.features(), D);
        double traceRaw = 0, trace = 0;
        for (int i = 0; i < D; i++) {
            traceRaw += raw[i][i];
            trace += c[i][i];
            if (i > 0) assertTrue(c[i - 1][i - 1] >= c[i][i], "variances must come largest first");
            for (int j = 0; j < D; j++) {
                if (i != j) assertEquals(0, c[i][j], 1e-4 * c[0][0], "covariance[" + i + "][" + j + "]");
            }
        }
        assertEquals(traceRaw, trace, 1e-4 * traceRaw, "a rotation keeps the total variance");
    }

    /**
     * ZCA's matrix is symmetric, and among whitenings W R (any rotation R of the PCA-whitened data) it moves the
     * centred data the least: its mean squared change is below PCA whitening's and every random rotation's.
     */
    @Test void zcaIsSymmetricAndTheWhiteningClosestToItsInput() {
        Dataset train = correlated(2000, 4, 0);
        Normalizer zca = Normalizer.fit(Kind.ZCA_WHITEN, train, 1e-9);
        float[] w = zca.state().get("matrix");
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) assertEquals(w[i * D + j], w[j * D + i], 0f, "W[" + i + "][" + j + "]");
        }
        float[] centred = train.features().clone();
        float[] mean = zca.mean();
        for (int i = 0; i < centred.length; i++) centred[i] -= mean[i % D];
        double zcaChange = meanSquaredChange(centred, zca.apply(train).features());
        float[] pcaWhite = Normalizer.fit(Kind.PCA_WHITEN, train, 1e-9).apply(train).features();
        assertTrue(zcaChange < meanSquaredChange(centred, pcaWhite), "zca " + zcaChange + " vs pca_whiten");
        Rng rng = new Rng(9);
        for (int trial = 0; trial < 20; trial++) {
            float[] rotated = Tensor.of(pcaWhite, pcaWhite.length / D, D).matmul(randomRotation(rng)).toArray();
            assertTrue(zcaChange < meanSquaredChange(centred, rotated), "zca " + zcaChange + " vs a rotated whitening, trial " + trial);
        }
    }

    private static double meanSquaredChange(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        return sum / a.length;
    }

    private static Tensor randomRotation(Rng rng) {
        double[][] q = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int k = 0; k < D; k++) q[i][k] = rng.nextGaussian();
            for (int j = 0; j < i; j++) {
                double dot = 0;
                for (int k = 0; k < D; k++) dot += q[i][k] * q[j][k];
                for (int k = 0; k < D; k++) q[i][k] -= dot * q[j][k];
            }
            double norm = 0;
            for (int k = 0; k < D; k++) norm += q[i][k] * q[i][k];
            for (int k = 0; k < D; k++) q[i][k] /= Math.sqrt(norm);
        }
        float[] flat = new float[D * D];
        for (int i = 0; i < D; i++) for (int k = 0; k < D; k++) flat[i * D + k] = (float) q[i][k];
        return Tensor.of(flat, D, D);
    }

    /** The transform comes from the training set alone: a shifted held-out set is neither centred nor white. */
    @Test void fittedOnTheTrainingSetOnly() {
        Dataset train = correlated(3000, 6, 0);
        Dataset heldOut = correlated(3000, 7, 5f);
        Normalizer zca = Normalizer.fit(Kind.ZCA_WHITEN, train, 1e-9);
        float[] y = zca.apply(heldOut).features();
        double[] meanOut = new double[D];
        for (int i = 0; i < y.length; i++) meanOut[i % D] += y[i] / (y.length / D);
        double shifted = 0;
        for (double m : meanOut) shifted = Math.max(shifted, Math.abs(m));
        assertTrue(shifted > 0.5, "the held-out data keeps its shift relative to the training mean: " + shifted);
        Normalizer refit = Normalizer.fit(Kind.ZCA_WHITEN, heldOut, 1e-9);
        assertTrue(Math.abs(refit.mean()[0] - zca.mean()[0]) > 1, "a fit on other data gives other parameters");
    }

    @Test void stateRoundTripReproducesTheTransform() {
        Dataset train = correlated(500, 8, 0);
        for (Kind kind : new Kind[] {Kind.PCA, Kind.PCA_WHITEN, Kind.ZCA_WHITEN}) {
            Normalizer fitted = Normalizer.fit(kind, train, 0.05);
            Normalizer restored = Normalizer.fromState(fitted.state());
            assertEquals(kind, restored.kind());
            assertArrayEquals(fitted.apply(train).features(), restored.apply(train).features(), 0f, kind.id());
            Tensor batch = Tensor.of(java.util.Arrays.copyOf(train.features(), 2 * D), 2, D);
            float[] firstTwo = java.util.Arrays.copyOf(fitted.apply(train).features(), 2 * D);
            assertArrayEquals(firstTwo, restored.apply(batch).toArray(), 0f, "a batch tensor at inference");
        }
        var state = Normalizer.fit(Kind.ZCA_WHITEN, train, 0.05).state();
        state.put("matrix", new float[3]);
        var e = assertThrows(DataFormatException.class, () -> Normalizer.fromState(state));
        assertTrue(e.getMessage().contains("'matrix' with 6 x 6 values"), e.getMessage());
    }

    /** Images are whitened over all of their pixels together, not per channel. */
    @Test void imagesAreWhitenedOverAllPixels() {
        Dataset flat = correlated(1000, 10, 0);
        Dataset images = Dataset.classification(flat.features(), new int[] {1, 2, 3}, new int[1000], 1);
        Normalizer n = Normalizer.fit(Kind.ZCA_WHITEN, images, 1e-9);
        assertEquals(D, n.mean().length);
        assertTrue(maxDeviationFromIdentity(covariance(n.apply(images).features(), D)) < 1e-3);
    }

    @Test void aConstantFeatureNeedsAPositiveEpsilon() {
        float[] x = new float[200 * 2];
        Rng rng = new Rng(1);
        for (int i = 0; i < 200; i++) {
            x[2 * i] = (float) rng.nextGaussian();
            x[2 * i + 1] = 4;
        }
        Dataset train = Dataset.classification(x, new int[] {2}, new int[200], 1);
        var e = assertThrows(DataFormatException.class, () -> Normalizer.fit(Kind.ZCA_WHITEN, train, 0));
        assertTrue(e.getMessage().contains("whiten_epsilon"), e.getMessage());
        float[] y = Normalizer.fit(Kind.ZCA_WHITEN, train, 0.1).apply(train).features();
        for (float v : y) assertTrue(Float.isFinite(v));
        assertEquals(Kind.ZCA_WHITEN, Kind.parse("zca_whiten"));
        assertEquals(Kind.PCA_WHITEN, Kind.parse("PCA_Whiten"));
    }
}
