package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.linalg.SymmetricEigen;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The power iteration converges: after enough training forwards the applied weight W / sigma has largest singular
 * value 1, checked against an exact eigendecomposition of W W^T (in double) of the stored weight.
 */
class SpectralNormTest {
    private static double largestSingularValue(float[] w, int rows, int cols) {
        double[] g = new double[rows * rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                double s = 0;
                for (int k = 0; k < cols; k++) s += (double) w[i * cols + k] * w[j * cols + k];
                g[i * rows + j] = s;
            }
        }
        return Math.sqrt(SymmetricEigen.of(g, rows).values()[0]);
    }

    @Test void appliedWeightHasUnitSpectralNormOnceTheIterationConverges() {
        Rng rng = new Rng(31);
        Conv2d conv = new Conv2d(3, 5, 3, 1, 1, true, rng, null, WeightForm.SPECTRAL_NORM);
        float[] stored = conv.namedParameters().get("weight_orig").toArray();
        double sigma = largestSingularValue(stored, 5, 27);
        double before = largestSingularValue(conv.effectiveWeight().toArray(), 5, 27);
        assertTrue(before >= 1 - 1e-6 && before < 10, "one iteration at construction: sigma is a positive underestimate, "
                + "so the applied weight's norm is at least 1 but finite: " + before);
        Tensor x = Tensor.normal(rng, 0f, 1f, 1, 3, 4, 4);
        for (int i = 0; i < 300; i++) conv.call(x); // the error shrinks as (sigma_2 / sigma_1)^2 per iteration
        assertEquals(1.0, largestSingularValue(conv.effectiveWeight().toArray(), 5, 27), 1e-4);
        float[] applied = conv.effectiveWeight().toArray();
        assertEquals(stored[7] / sigma, applied[7], 1e-5, "W / sigma with sigma the exact top singular value");
    }
}
