package dev.ravine.doctor.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 4-5-3 tanh MLP with cross-entropy (43 parameters): the HVP-based estimates against the full Hessian, assembled
 * column by column from HVPs and diagonalized by Jacobi rotations in double.
 */
class MlpCurvatureTest {
    static Supplier<Tensor> loss;
    static List<Tensor> parameters;
    static double[][] hessian;
    static double[] spectrum;
    static final PowerIterationOptions TIGHT = new PowerIterationOptions(1000, 1e-8, 11);

    @BeforeAll
    static void assembleFullHessian() {
        Rng rng = new Rng(2024);
        Module model = new Sequential(new Linear(4, 5, true, rng), new Activation(Activation.Kind.TANH), new Linear(5, 3, true, rng));
        model.eval();
        Tensor inputs = Tensor.normal(rng, 0, 1.5f, 16, 4);
        float[] labels = new float[16];
        for (int i = 0; i < labels.length; i++) labels[i] = (int) (rng.nextDouble() * 3);
        Tensor targets = Tensor.of(labels, 16);
        CrossEntropyLoss crossEntropy = new CrossEntropyLoss();
        loss = () -> crossEntropy.compute(model.call(inputs), targets);
        parameters = model.parameters();
        HessianVectorProduct h = new HessianVectorProduct(loss, parameters);
        int n = h.dimension();
        hessian = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] e = new double[n];
            e[j] = 1;
            double[] col = h.apply(e);
            for (int i = 0; i < n; i++) hessian[i][j] = col[i];
        }
        double asymmetry = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                asymmetry = Math.max(asymmetry, Math.abs(hessian[i][j] - hessian[j][i]));
                hessian[i][j] = hessian[j][i] = (hessian[i][j] + hessian[j][i]) / 2;
            }
        }
        spectrum = JacobiEigenvalues.of(hessian);
        System.out.printf("MLP: n=%d, max |H - H^T| %.2e, spectrum [%.6f, %.6f]%n", n, asymmetry, spectrum[0], spectrum[n - 1]);
    }

    static HessianVectorProduct hvp() {
        return new HessianVectorProduct(loss, parameters);
    }

    static double largest() {
        return spectrum[spectrum.length - 1];
    }

    @Test
    void reusedGraphGivesTheSameProductsAsAFreshOne() {
        HessianVectorProduct reused = hvp();
        double[] v = RandomVectors.unit(reused.dimension(), new Rng(1));
        double[] first = reused.apply(v);
        double[] again = reused.apply(v);
        assertArrayEquals(first, again, 0);
        assertArrayEquals(hvp().apply(v), again, 0);
    }

    @Test
    void powerIterationMatchesTheFullSpectrumsTop() {
        HessianVectorProduct h = hvp();
        CurvatureReport top = HessianTopEigen.largest(h, TIGHT);
        double error = Math.abs(top.value() - largest()) / largest();
        System.out.printf("MLP top: %.8f vs exact %.8f (rel err %.2e), iterations %d, hvps %d, residual %.2e%n",
                top.value(), largest(), error, top.iterations(), top.hvps(), top.residual());
        assertTrue(top.converged());
        assertTrue(error < 1e-4, "relative error " + error);
        assertEquals(top.hvps(), h.count());
        double cockpit = HessianTopEigen.largest(hvp(), PowerIterationOptions.cockpitDefaults(11)).value();
        System.out.printf("MLP top with Cockpit defaults (rtol 1e-3): rel err %.2e%n", Math.abs(cockpit - largest()) / largest());
    }

    @Test
    void lanczosMatchesTheFullSpectrumsBottom() {
        double scale = Math.max(Math.abs(spectrum[0]), largest());
        for (int steps : new int[] {15, 25, 43}) {
            HessianVectorProduct h = hvp();
            CurvatureReport smallest = HessianSmallestEigen.lanczos(h, new LanczosOptions(steps, 1e-4, 13));
            System.out.printf("MLP Lanczos k=%d smallest: %.8f vs exact %.8f (abs err %.2e, scale %.3f), residual %.2e, hvps %d, converged %b%n",
                    steps, smallest.value(), spectrum[0], Math.abs(smallest.value() - spectrum[0]), scale, smallest.residual(),
                    smallest.hvps(), smallest.converged());
            assertEquals(h.count(), smallest.hvps());
            if (steps == 43) {
                assertTrue(smallest.converged());
                assertEquals(spectrum[0], smallest.value(), 1e-5 * scale);
            }
        }
    }

    @Test
    void hutchinsonIsWithinThreeStandardErrorsOfTheExactTrace() {
        double exact = 0;
        for (int i = 0; i < hessian.length; i++) exact += hessian[i][i];
        TraceEstimate trace = HutchinsonTrace.estimate(hvp(), 100, 17);
        System.out.printf("MLP trace: %.6f +- %.6f vs exact %.6f (%.2f SE)%n", trace.estimate(), trace.standardError(), exact,
                Math.abs(trace.estimate() - exact) / trace.standardError());
        assertEquals(exact, trace.estimate(), 3 * trace.standardError());
    }

    @Test
    void preconditionedSharpnessMatchesTheFullMatrix() {
        HessianVectorProduct h = hvp();
        int n = h.dimension();
        double[] identity = new double[n];
        java.util.Arrays.fill(identity, 1);
        assertEquals(largest(), PreconditionedSharpness.compute(h, identity, TIGHT).value(), 1e-4 * largest());

        Rng rng = new Rng(5);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) p[i] = 0.05 + rng.nextDouble();
        double[][] symmetricForm = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) symmetricForm[i][j] = hessian[i][j] / Math.sqrt(p[i] * p[j]);
        double[] exact = JacobiEigenvalues.of(symmetricForm);
        double expected = exact[n - 1];
        CurvatureReport sharpness = PreconditionedSharpness.compute(hvp(), p, TIGHT);
        System.out.printf("MLP preconditioned sharpness: %.8f vs exact %.8f (rel err %.2e), hvps %d%n",
                sharpness.value(), expected, Math.abs(sharpness.value() - expected) / expected, sharpness.hvps());
        assertTrue(sharpness.converged());
        assertEquals(expected, sharpness.value(), 1e-4 * expected);
        // The vector is an eigenvector of P^{-1} H: check P^{-1} H x = lambda x with the assembled matrix.
        double[] x = sharpness.vector();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double hx = 0;
            for (int j = 0; j < n; j++) hx += hessian[i][j] * x[j];
            worst = Math.max(worst, Math.abs(hx / p[i] - expected * x[i]));
        }
        assertTrue(worst < 1e-2 * expected, "eigen-equation error " + worst);
    }
}
