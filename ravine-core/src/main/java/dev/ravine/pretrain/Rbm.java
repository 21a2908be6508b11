package dev.ravine.pretrain;

import dev.ravine.kernel.Gemm;
import dev.ravine.nn.Linear;
import dev.ravine.tensor.Rng;

/**
 * A restricted Boltzmann machine: {@code visible} units v, {@code hidden} binary units h, weights W [visible, hidden]
 * (row-major), visible biases b and hidden biases c. Its energy is
 * <pre>
 *   Bernoulli visible:  E(v, h) = - b.v - c.h - v W h
 *   Gaussian visible:   E(v, h) = |v - b|^2 / 2 - c.h - v W h       (unit variance)
 * </pre>
 * so that p(h_j = 1 | v) = sigmoid(c_j + (v W)_j) for both, and the visible conditional is a sigmoid (Bernoulli) or
 * a unit-variance normal (Gaussian) around b + W h. Every batch operation takes {@code n} samples as one row-major
 * array [n, units] and uses the core's GEMM for the products.
 *
 * <p>The parameters are plain arrays that {@link RbmTrainer} updates in place.
 */
public final class Rbm {
    private final int visible, hidden;
    private final VisibleUnits units;
    final float[] weights;
    final float[] visibleBias;
    final float[] hiddenBias;

    /**
     * W drawn from N(0, 0.01^2) and zero biases, as recommended by Hinton's practical guide (section 8): small
     * random weights break the symmetry between hidden units without saturating them.
     */
    public Rbm(int visible, int hidden, VisibleUnits units, Rng rng) {
        this(visible, hidden, units, new float[visible * hidden], new float[visible], new float[hidden]);
        for (int i = 0; i < weights.length; i++) weights[i] = (float) (0.01 * rng.nextGaussian());
    }

    /** An RBM with the given parameters (copied): W [visible, hidden] row-major, b [visible], c [hidden]. */
    public Rbm(int visible, int hidden, VisibleUnits units, float[] weights, float[] visibleBias, float[] hiddenBias) {
        if (visible <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("an RBM needs positive sizes, got visible=" + visible + " hidden=" + hidden);
        }
        if (weights.length != visible * hidden || visibleBias.length != visible || hiddenBias.length != hidden) {
            throw new IllegalArgumentException("an RBM " + visible + "x" + hidden + " needs " + visible * hidden + " weights, "
                    + visible + " visible and " + hidden + " hidden biases, got " + weights.length + ", "
                    + visibleBias.length + " and " + hiddenBias.length);
        }
        this.visible = visible;
        this.hidden = hidden;
        this.units = java.util.Objects.requireNonNull(units, "units");
        this.weights = weights.clone();
        this.visibleBias = visibleBias.clone();
        this.hiddenBias = hiddenBias.clone();
    }

    public int visible() {
        return visible;
    }

    public int hidden() {
        return hidden;
    }

    public VisibleUnits units() {
        return units;
    }

    /** A copy of W, [visible, hidden] row-major. */
    public float[] weights() {
        return weights.clone();
    }

    public float[] visibleBias() {
        return visibleBias.clone();
    }

    public float[] hiddenBias() {
        return hiddenBias.clone();
    }

    /** p(h = 1 | v) for n samples: sigmoid(v W + c), [n, hidden]. */
    public float[] hiddenProbabilities(float[] v, int n) {
        float[] h = new float[n * hidden];
        for (int r = 0; r < n; r++) System.arraycopy(hiddenBias, 0, h, r * hidden, hidden);
        Gemm.gemm(false, false, n, hidden, visible, 1f, v, 0, visible, weights, 0, hidden, 1f, h, 0, hidden);
        for (int i = 0; i < h.length; i++) h[i] = sigmoid(h[i]);
        return h;
    }

    /** E[v | h] for n samples: sigmoid(h W^T + b) for Bernoulli units, h W^T + b for Gaussian ones; [n, visible]. */
    public float[] visibleMeans(float[] h, int n) {
        float[] v = new float[n * visible];
        for (int r = 0; r < n; r++) System.arraycopy(visibleBias, 0, v, r * visible, visible);
        Gemm.gemm(false, true, n, visible, hidden, 1f, h, 0, hidden, weights, 0, hidden, 1f, v, 0, visible);
        if (units == VisibleUnits.BERNOULLI) for (int i = 0; i < v.length; i++) v[i] = sigmoid(v[i]);
        return v;
    }

    /** Binary states drawn with the given probabilities (hidden units, or Bernoulli visible units). */
    public static float[] sampleBinary(float[] probabilities, Rng rng) {
        float[] s = new float[probabilities.length];
        for (int i = 0; i < s.length; i++) s[i] = rng.nextFloat() < probabilities[i] ? 1f : 0f;
        return s;
    }

    /** Visible states drawn around their means: binary for Bernoulli units, mean + N(0, 1) for Gaussian ones. */
    public float[] sampleVisible(float[] means, Rng rng) {
        if (units == VisibleUnits.BERNOULLI) return sampleBinary(means, rng);
        float[] s = new float[means.length];
        for (int i = 0; i < s.length; i++) s[i] = (float) (means[i] + rng.nextGaussian());
        return s;
    }

    /**
     * The free energy F(v) = -log sum_h exp(-E(v, h)) of each of n samples (hidden units summed out in closed form):
     * <pre>
     *   F(v) = -b.v - sum_j softplus(c_j + (v W)_j)              Bernoulli visible
     *   F(v) = |v - b|^2 / 2 - sum_j softplus(c_j + (v W)_j)     Gaussian visible
     * </pre>
     * p(v) is proportional to exp(-F(v)), so a training set's mean free energy drifting below a held-out set's means
     * the RBM is overfitting (Hinton's guide, section 6).
     */
    public double[] freeEnergies(float[] v, int n) {
        float[] x = new float[n * hidden];
        for (int r = 0; r < n; r++) System.arraycopy(hiddenBias, 0, x, r * hidden, hidden);
        Gemm.gemm(false, false, n, hidden, visible, 1f, v, 0, visible, weights, 0, hidden, 1f, x, 0, hidden);
        double[] f = new double[n];
        for (int r = 0; r < n; r++) {
            double visibleTerm = 0;
            for (int i = 0; i < visible; i++) {
                double vi = v[r * visible + i];
                visibleTerm += units == VisibleUnits.BERNOULLI ? -visibleBias[i] * vi
                        : 0.5 * (vi - visibleBias[i]) * (vi - visibleBias[i]);
            }
            double hiddenTerm = 0;
            for (int j = 0; j < hidden; j++) hiddenTerm += softplus(x[r * hidden + j]);
            f[r] = visibleTerm - hiddenTerm;
        }
        return f;
    }

    /** The mean free energy of n samples. */
    public double meanFreeEnergy(float[] v, int n) {
        double sum = 0;
        for (double f : freeEnergies(v, n)) sum += f;
        return sum / n;
    }

    /**
     * Sets each Bernoulli visible bias to log(p_i / (1 - p_i)), p_i the fraction of the data where unit i is on
     * (clamped to [0.001, 0.999]), and each Gaussian visible bias to the mean of unit i: with zero weights the RBM
     * then already models each unit's marginal (Hinton's guide, section 8).
     */
    public void fitVisibleBiases(float[] data, int n) {
        for (int i = 0; i < visible; i++) {
            double mean = 0;
            for (int r = 0; r < n; r++) mean += data[r * visible + i];
            mean /= n;
            if (units == VisibleUnits.BERNOULLI) {
                double p = Math.clamp(mean, 0.001, 0.999);
                visibleBias[i] = (float) Math.log(p / (1 - p));
            } else {
                visibleBias[i] = (float) mean;
            }
        }
    }

    /**
     * Copies W and c into a Linear layer of the same sizes so that sigmoid(linear(v)) = p(h = 1 | v): Linear computes
     * x W_lin^T + bias with W_lin [out, in], so W_lin = W^T ([hidden, visible]) and bias = c.
     */
    public void copyTo(Linear linear) {
        float[] w = linear.weight().storage();
        int[] shape = linear.weight().shape();
        if (shape[0] != hidden || shape[1] != visible || !linear.weight().isContiguous()) {
            throw new IllegalArgumentException("an RBM " + visible + "x" + hidden + " fits a linear layer with " + visible
                    + " inputs and " + hidden + " outputs, got " + shape[1] + " inputs and " + shape[0] + " outputs");
        }
        if (linear.bias() == null) {
            throw new IllegalArgumentException("the linear layer has no bias to take the RBM's hidden biases");
        }
        int off = linear.weight().offset();
        for (int j = 0; j < hidden; j++) {
            for (int i = 0; i < visible; i++) w[off + j * visible + i] = weights[i * hidden + j];
        }
        float[] b = linear.bias().storage();
        System.arraycopy(hiddenBias, 0, b, linear.bias().offset(), hidden);
    }

    static float sigmoid(float x) {
        // exp of a large positive number overflows; this form only exponentiates non-positive numbers
        if (x >= 0) return (float) (1 / (1 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1 + e));
    }

    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
