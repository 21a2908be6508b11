package dev.ravine.doctor.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.linalg.DenseVectors;
import dev.ravine.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** On L = 0.5 x^T A x the Hessian is A exactly, so every estimate has a closed-form answer. */
class QuadraticCurvatureTest {
    static final double[] EIGENVALUES = {5, 1, -0.5, -2};
    /** Householder reflection Q = I - 2 u u^T / u^T u: orthogonal, and its columns are A's eigenvectors. */
    static final double[][] Q = householder(new double[] {1, 2, -1, 3});

    static double[][] householder(double[] u) {
        double uu = 0;
        for (double x : u) uu += x * x;
        double[][] q = new double[u.length][u.length];
        for (int i = 0; i < u.length; i++) for (int j = 0; j < u.length; j++) q[i][j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu;
        return q;
    }

    /** A = Q diag(sign * EIGENVALUES) Q^T. */
    static double[][] matrix(double sign) {
        double[][] a = new double[4][4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) for (int k = 0; k < 4; k++) a[i][j] += Q[i][k] * sign * EIGENVALUES[k] * Q[j][k];
        return a;
    }

    static HessianVectorProduct quadratic(double[][] a) {
        float[] flat = new float[16];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) flat[i * 4 + j] = (float) a[i][j];
        Tensor matrix = Tensor.of(flat, 4, 4);
        Tensor x = Tensor.of(new float[] {0.3f, -0.7f, 1.1f, 0.2f}, 4, 1).requiresGrad(true);
        Supplier<Tensor> loss = () -> x.transpose(0, 1).matmul(matrix).matmul(x).mul(0.5f).sum();
        return new HessianVectorProduct(loss, List.of(x));
    }

    static double[] column(int k) {
        return new double[] {Q[0][k], Q[1][k], Q[2][k], Q[3][k]};
    }

    /** |cos| between two vectors: 1 when they span the same line (eigenvectors are defined up to sign). */
    static double alignment(double[] a, double[] b) {
        return Math.abs(DenseVectors.dot(a, b)) / (DenseVectors.norm(a) * DenseVectors.norm(b));
    }

    static final PowerIterationOptions TIGHT = new PowerIterationOptions(500, 1e-7, 42);

    @Test
    void hessianVectorProductReproducesTheMatrixAndReusesItsGraph() {
        double[][] a = matrix(1);
        HessianVectorProduct h = quadratic(a);
        for (int repeat = 0; repeat < 2; repeat++) { // second pass differentiates the same recorded graph again
            for (int j = 0; j < 4; j++) {
                double[] e = new double[4];
                e[j] = 1;
                double[] col = h.apply(e);
                for (int i = 0; i < 4; i++) assertEquals(a[i][j], col[i], 1e-6, "H[" + i + "," + j + "]");
            }
        }
        assertEquals(8, h.count());
        double[] v = {0.5, -1, 2, 0.25};
        assertArrayEquals(h.apply(v), h.flatten(h.apply(h.unflatten(v))), 0);
    }

    @Test
    void powerIterationFindsTheTopEigenpair() {
        HessianVectorProduct h = quadratic(matrix(1));
        CurvatureReport top = HessianTopEigen.largest(h, TIGHT);
        System.out.printf("quadratic top: %.9f (exact 5), |cos| %.12f, iterations %d, hvps %d, residual %.2e%n",
                top.value(), alignment(top.vector(), column(0)), top.iterations(), top.hvps(), top.residual());
        assertTrue(top.converged());
        assertEquals(5, top.value(), 1e-5);
        assertEquals(1, alignment(top.vector(), column(0)), 1e-5);
        assertEquals(top.hvps(), h.count());
    }

    @Test
    void negativeDominantEigenvalueIsReportedThenShiftedAway() {
        // -A has eigenvalues -5, -1, 0.5, 2: power iteration lands on -5; the algebraically largest is 2.
        HessianVectorProduct h = quadratic(matrix(-1));
        CurvatureReport dominant = HessianTopEigen.dominant(h, TIGHT);
        assertEquals(-5, dominant.value(), 1e-5);
        CurvatureReport largest = HessianTopEigen.largest(h, TIGHT);
        System.out.printf("-A: dominant %.9f (exact -5); largest %.9f (exact 2), |cos| %.12f, hvps %d%n",
                dominant.value(), largest.value(), alignment(largest.vector(), column(3)), largest.hvps());
        assertTrue(largest.converged());
        assertEquals(2, largest.value(), 1e-5);
        assertEquals(1, alignment(largest.vector(), column(3)), 1e-4);
    }

    @Test
    void lanczosFindsTheSmallestEigenpair() {
        HessianVectorProduct h = quadratic(matrix(1));
        CurvatureReport smallest = HessianSmallestEigen.lanczos(h, new LanczosOptions(4, 1e-5, 7));
        System.out.printf("quadratic Lanczos smallest: %.9f (exact -2), |cos| %.12f, hvps %d, residual %.2e%n",
                smallest.value(), alignment(smallest.vector(), column(3)), smallest.hvps(), smallest.residual());
        assertTrue(smallest.converged());
        assertEquals(-2, smallest.value(), 1e-5);
        assertEquals(1, alignment(smallest.vector(), column(3)), 1e-6);
        assertEquals(5, smallest.hvps());
        assertEquals(5, h.count());
    }

    @Test
    void shiftedPowerIterationAgreesWithLanczos() {
        HessianVectorProduct h = quadratic(matrix(1));
        CurvatureReport smallest = HessianSmallestEigen.shiftedPowerIteration(h, 5, TIGHT);
        System.out.printf("quadratic shifted power smallest: %.9f (exact -2), hvps %d%n", smallest.value(), smallest.hvps());
        assertTrue(smallest.converged());
        assertEquals(-2, smallest.value(), 1e-5);
        assertEquals(1, alignment(smallest.vector(), column(3)), 1e-4);
    }

    @Test
    void hutchinsonTraceIsWithinThreeStandardErrors() {
        HessianVectorProduct h = quadratic(matrix(1));
        TraceEstimate trace = HutchinsonTrace.estimate(h, 200, 3);
        System.out.printf("quadratic trace: %.6f +- %.6f (exact 3.5)%n", trace.estimate(), trace.standardError());
        assertEquals(3.5, trace.estimate(), 3 * trace.standardError());
        assertTrue(trace.standardError() > 0);
        assertEquals(200, trace.hvps());
    }

    @Test
    void hutchinsonIsExactForADiagonalHessian() {
        double[][] diagonal = new double[4][4];
        for (int i = 0; i < 4; i++) diagonal[i][i] = EIGENVALUES[i];
        TraceEstimate trace = HutchinsonTrace.estimate(quadratic(diagonal), 5, 3);
        assertEquals(3.5, trace.estimate(), 1e-6);
        assertEquals(0, trace.standardError(), 1e-6);
    }

    @Test
    void preconditionedSharpnessWithIdentityIsTheSharpness() {
        HessianVectorProduct h = quadratic(matrix(1));
        double[] identity = {1, 1, 1, 1};
        CurvatureReport p = PreconditionedSharpness.compute(h, identity, TIGHT);
        assertEquals(HessianTopEigen.largest(h, TIGHT).value(), p.value(), 1e-9);
        assertEquals(38 / 1e-3, PreconditionedSharpness.adamThreshold(1e-3, 0.9), 1e-6);
        assertEquals(2 / 0.1, PreconditionedSharpness.gradientDescentThreshold(0.1), 1e-12);
    }
}
