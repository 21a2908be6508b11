package dev.ravine.init;

import dev.ravine.linalg.DenseVectors;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * Weight initializers with torch.nn.init's formulas. Each fills a dense tensor in place from the run's Rng.
 * Xavier/Glorot: std = gain sqrt(2 / (fan_in + fan_out)), uniform bound = gain sqrt(6 / (fan_in + fan_out)).
 * He/Kaiming: std = gain / sqrt(fan), uniform bound = gain sqrt(3 / fan), gain = sqrt(2) for ReLU.
 */
public final class Init {
    private Init() {}

    public static void uniform(Tensor t, Rng rng, double low, double high) {
        float[] d = t.storage();
        for (int i = 0; i < d.length; i++) d[i] = (float) (low + (high - low) * rng.nextDouble());
    }

    public static void normal(Tensor t, Rng rng, double mean, double std) {
        float[] d = t.storage();
        for (int i = 0; i < d.length; i++) d[i] = (float) (mean + std * rng.nextGaussian());
    }

    public static void constant(Tensor t, double value) {
        java.util.Arrays.fill(t.storage(), (float) value);
    }

    public static void xavierUniform(Tensor t, Rng rng, double gain) {
        Fan f = Fan.of(t.shape());
        double bound = gain * Math.sqrt(6.0 / (f.in() + f.out()));
        uniform(t, rng, -bound, bound);
    }

    public static void xavierNormal(Tensor t, Rng rng, double gain) {
        Fan f = Fan.of(t.shape());
        normal(t, rng, 0, gain * Math.sqrt(2.0 / (f.in() + f.out())));
    }

    /** @param fanIn true for mode='fan_in' (preserves forward variance), false for 'fan_out' (backward variance) */
    public static void kaimingUniform(Tensor t, Rng rng, double negativeSlope, boolean fanIn, String nonlinearity) {
        double gain = Gain.of(nonlinearity, negativeSlope);
        Fan f = Fan.of(t.shape());
        double bound = gain * Math.sqrt(3.0 / (fanIn ? f.in() : f.out()));
        uniform(t, rng, -bound, bound);
    }

    public static void kaimingNormal(Tensor t, Rng rng, double negativeSlope, boolean fanIn, String nonlinearity) {
        double gain = Gain.of(nonlinearity, negativeSlope);
        Fan f = Fan.of(t.shape());
        normal(t, rng, 0, gain / Math.sqrt(fanIn ? f.in() : f.out()));
    }

    /** LeCun: std = 1 / sqrt(fan_in) (normal), bound = sqrt(3 / fan_in) (uniform); kaiming with gain 1. */
    public static void lecunNormal(Tensor t, Rng rng) {
        kaimingNormal(t, rng, 0, true, "linear");
    }

    public static void lecunUniform(Tensor t, Rng rng) {
        kaimingUniform(t, rng, 0, true, "linear");
    }

    /**
     * torch.nn.init.orthogonal_: the weight viewed as [rows = shape[0], cols = numel / rows] is (a slice of) an
     * orthogonal matrix times {@code gain}: Q of the QR decomposition of a standard normal matrix (transposed when
     * wide), with the sign correction that makes R's diagonal positive, so Q is uniformly (Haar) distributed. Tall or
     * square: W^T W = gain^2 I; wide: W W^T = gain^2 I. Q comes from modified Gram-Schmidt applied twice, in double,
     * whose R has a positive diagonal by construction (torch's q * sign(diag(r))).
     */
    public static void orthogonal(Tensor t, Rng rng, double gain) {
        int[] shape = t.shape();
        if (shape.length < 2) throw new dev.ravine.tensor.TensorShapeException("orthogonal init needs at least 2 axes, got " + java.util.Arrays.toString(shape));
        float[] d = t.storage();
        int rows = shape[0], cols = d.length / rows;
        boolean wide = rows < cols;
        int m = wide ? cols : rows, n = wide ? rows : cols; // m >= n; columns of an m x n matrix
        double[][] q = new double[n][m];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = rng.nextGaussian();
                if (wide) q[r][c] = v; else q[c][r] = v;
            }
        }
        for (int j = 0; j < n; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) DenseVectors.addScaled(q[j], -DenseVectors.dot(q[k], q[j]), q[k]);
            }
            q[j] = DenseVectors.normalized(q[j]);
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) d[r * cols + c] = (float) (gain * (wide ? q[r][c] : q[c][r]));
        }
    }

    /** torch.nn.init.eye_: ones on the diagonal of a 2-D weight, zeros elsewhere (the identity map when square). */
    public static void identity(Tensor t) {
        int[] shape = t.shape();
        if (shape.length != 2) throw new dev.ravine.tensor.TensorShapeException("identity init needs a 2-D weight, got " + java.util.Arrays.toString(shape));
        float[] d = t.storage();
        java.util.Arrays.fill(d, 0f);
        for (int i = 0; i < Math.min(shape[0], shape[1]); i++) d[i * shape[1] + i] = 1f;
    }

    /**
     * PyTorch's default for Linear and Conv weights: kaiming_uniform with a = sqrt(5), which works out to
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)); biases use the same bound.
     */
    public static void pytorchDefaultWeight(Tensor weight, Rng rng) {
        kaimingUniform(weight, rng, Math.sqrt(5), true, "leaky_relu");
    }

    public static void pytorchDefaultBias(Tensor bias, int fanIn, Rng rng) {
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        uniform(bias, rng, -bound, bound);
    }
}
