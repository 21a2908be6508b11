package dev.ravine.nn;

import dev.ravine.linalg.DenseVectors;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * Spectral normalization (Miyato et al., 2018): the weight is {@code W / sigma}, sigma the largest singular value of
 * W viewed as a matrix [out, everything else], so the layer is (about) 1-Lipschitz. sigma is estimated by power
 * iteration with persistent vectors u [out] and v [in...] (buffers {@code weight_u} and {@code weight_v}):
 * one iteration per forward in training, {@code v = normalize(W^T u)}, {@code u = normalize(W v)}, none in eval; then
 * {@code sigma = u . (W v)} with u and v held constant, so the gradient flows through W only. This is
 * torch.nn.utils.spectral_norm(module, n_power_iterations=1, eps=1e-12, dim=0): the trained parameter is
 * {@code weight_orig}, and u and v start as normalized N(0, 1) draws, refined here by one power iteration (torch
 * leaves them random until the first training forward).
 */
final class SpectralNorm extends LayerWeight {
    /** torch's default: keeps normalize() finite for a zero vector. */
    static final double EPS = 1e-12;

    private final Tensor weight, u, v;
    private final int rows, cols;

    SpectralNorm(Module owner, Tensor initial, Rng rng) {
        rows = initial.size(0);
        cols = initial.numel() / rows;
        weight = owner.registerParameter("weight_orig", initial);
        u = owner.registerBuffer("weight_u", Tensor.normal(rng, 0f, 1f, rows));
        v = owner.registerBuffer("weight_v", Tensor.normal(rng, 0f, 1f, cols));
        normalize(u.storage());
        normalize(v.storage());
        // torch stops at the random draws, and an eval forward before any training forward then divides by the random
        // u . W v, which can be tiny or negative; one iteration here makes it a positive estimate from the start
        powerIteration(initial.values());
    }

    @Override
    Tensor compute(boolean training) {
        Tensor matrix = weight.reshape(rows, cols);
        if (training) powerIteration(matrix.values());
        Tensor uRow = Tensor.of(u.toArray(), 1, rows);
        Tensor vColumn = Tensor.of(v.toArray(), cols, 1);
        Tensor sigma = uRow.matmul(matrix.matmul(vColumn));
        if (!(sigma.item() > 0) || Float.isInfinite(sigma.item())) {
            throw new ArithmeticException("spectral norm: the estimated largest singular value of the weight is " + sigma.item()
                    + "; the weight is zero or holds NaN/Inf values");
        }
        int[] scalarShape = new int[weight.dim()];
        java.util.Arrays.fill(scalarShape, 1);
        return weight.div(sigma.reshape(scalarShape));
    }

    /** One step on the buffers, in place (so checkpoints and later forwards see it): v = W^T u / |.|, u = W v / |.|. */
    private void powerIteration(float[] w) {
        float[] uu = u.storage(), vv = v.storage();
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int i = 0; i < rows; i++) s += (double) w[i * cols + j] * uu[i];
            vv[j] = (float) s;
        }
        normalize(vv);
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) s += (double) w[i * cols + j] * vv[j];
            uu[i] = (float) s;
        }
        normalize(uu);
    }

    /** x / max(||x||, eps), torch.nn.functional.normalize's rule. */
    private static void normalize(float[] x) {
        double norm = Math.max(DenseVectors.norm(x), EPS);
        for (int i = 0; i < x.length; i++) x[i] = (float) (x[i] / norm);
    }

    @Override
    WeightForm form() {
        return WeightForm.SPECTRAL_NORM;
    }
}
