package dev.ravine.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact Hessian-vector products through double backward, checked against Hessians computed independently. */
class HessianVectorProductTest {

    /** Hv = grad(dot(grad(loss, params, createGraph), v), params). */
    static List<Tensor> hvp(Tensor loss, List<Tensor> params, List<Tensor> v) {
        List<Tensor> g = Autograd.grad(loss, params, null, true);
        Tensor dot = null;
        for (int i = 0; i < g.size(); i++) {
            Tensor term = g.get(i).mul(v.get(i)).sum();
            dot = dot == null ? term : dot.add(term);
        }
        return Autograd.grad(dot, params, null, false);
    }

    @Test
    void quadraticFormHasItsMatrixAsHessian() {
        // L = 0.5 x^T A x with symmetric A: H = A exactly.
        float[] a = {4, 1, 0, 1, 3, -1, 0, -1, 2};
        Tensor A = Tensor.of(a, 3, 3);
        Tensor x = Tensor.of(new float[] {0.3f, -0.7f, 1.1f}, 3, 1).requiresGrad(true);
        Tensor loss = x.transpose(0, 1).matmul(A).matmul(x).mul(0.5f).sum();
        for (int j = 0; j < 3; j++) {
            float[] e = new float[3];
            e[j] = 1;
            Tensor hv = hvp(loss, List.of(x), List.of(Tensor.of(e, 3, 1))).get(0);
            for (int i = 0; i < 3; i++) assertEquals(a[i * 3 + j], hv.values()[i], 1e-5, "H[" + i + "," + j + "]");
        }
    }

    @Test
    void smallNetworkHessianMatchesHandDerivedHessian() {
        // f(w1, w2) = 0.5 (w2 . tanh(w1 x) - y)^2 for one sample, 2 hidden units; H derived by hand below.
        double[] x = {0.5, -1.2};
        double y = 0.3;
        Rng rng = new Rng(3);
        Tensor w1 = Tensor.uniform(rng, -1, 1, 2, 2).requiresGrad(true);
        Tensor w2 = Tensor.uniform(rng, -1, 1, 1, 2).requiresGrad(true);
        Tensor xs = Tensor.of(new float[] {(float) x[0], (float) x[1]}, 2, 1);
        Tensor out = w2.matmul(w1.matmul(xs).tanh());
        Tensor loss = out.sub(Tensor.scalar((float) y)).square().mul(0.5f).sum();

        double[][] exact = handHessian(w1.values(), w2.values(), x, y);
        List<Tensor> params = List.of(w1, w2);
        for (int j = 0; j < 6; j++) {
            float[] e1 = new float[4], e2 = new float[2];
            if (j < 4) e1[j] = 1; else e2[j - 4] = 1;
            List<Tensor> hv = hvp(loss, params, List.of(Tensor.of(e1, 2, 2), Tensor.of(e2, 1, 2)));
            float[] col = new float[6];
            System.arraycopy(hv.get(0).values(), 0, col, 0, 4);
            System.arraycopy(hv.get(1).values(), 0, col, 4, 2);
            for (int i = 0; i < 6; i++) assertEquals(exact[i][j], col[i], 1e-5, "H[" + i + "," + j + "]");
        }
    }

    /** Parameters ordered w1[0,0], w1[0,1], w1[1,0], w1[1,1], w2[0], w2[1]. */
    private static double[][] handHessian(float[] w1, float[] w2, double[] x, double y) {
        double[] a = new double[2], h = new double[2], d1 = new double[2], d2 = new double[2];
        for (int k = 0; k < 2; k++) {
            a[k] = w1[2 * k] * x[0] + w1[2 * k + 1] * x[1];
            h[k] = Math.tanh(a[k]);
            d1[k] = 1 - h[k] * h[k]; // tanh'
            d2[k] = -2 * h[k] * d1[k]; // tanh''
        }
        double r = w2[0] * h[0] + w2[1] * h[1] - y;
        // dr/dp for each parameter
        double[] dr = new double[6];
        for (int k = 0; k < 2; k++) for (int i = 0; i < 2; i++) dr[2 * k + i] = w2[k] * d1[k] * x[i];
        dr[4] = h[0];
        dr[5] = h[1];
        // d2r/dp dq
        double[][] d2r = new double[6][6];
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) d2r[2 * k + i][2 * k + j] = w2[k] * d2[k] * x[i] * x[j];
                d2r[2 * k + i][4 + k] = d1[k] * x[i];
                d2r[4 + k][2 * k + i] = d1[k] * x[i];
            }
        }
        // L = r^2 / 2: H = dr dr^T + r d2r
        double[][] hess = new double[6][6];
        for (int p = 0; p < 6; p++) for (int q = 0; q < 6; q++) hess[p][q] = dr[p] * dr[q] + r * d2r[p][q];
        return hess;
    }

    @Test
    void mlpWithReluAndSoftmaxHvpIsSymmetric() {
        // <u, H v> == <v, H u> for an MLP with cross-entropy: a cheap global check of every second-order rule.
        Rng rng = new Rng(9);
        Tensor w1 = Tensor.normal(rng, 0, 0.5f, 5, 4).requiresGrad(true);
        Tensor w2 = Tensor.normal(rng, 0, 0.5f, 3, 5).requiresGrad(true);
        Tensor xb = Tensor.normal(rng, 0, 1, 6, 4);
        List<Tensor> params = List.of(w1, w2);
        java.util.function.Supplier<Tensor> lossFn = () -> {
            Tensor logits = xb.matmul(w1.transpose(0, 1)).tanh().matmul(w2.transpose(0, 1));
            return dev.ravine.nn.functional.Functional.pickPerRow(dev.ravine.nn.functional.Functional.logSoftmax(logits), new int[] {0, 1, 2, 0, 1, 2}).mean().neg();
        };
        List<Tensor> u = List.of(Tensor.normal(rng, 0, 1, 5, 4), Tensor.normal(rng, 0, 1, 3, 5));
        List<Tensor> v = List.of(Tensor.normal(rng, 0, 1, 5, 4), Tensor.normal(rng, 0, 1, 3, 5));
        List<Tensor> hu = hvp(lossFn.get(), params, u);
        List<Tensor> hv = hvp(lossFn.get(), params, v);
        double vHu = 0, uHv = 0;
        for (int i = 0; i < 2; i++) {
            vHu += v.get(i).mul(hu.get(i)).sum().item();
            uHv += u.get(i).mul(hv.get(i)).sum().item();
        }
        assertEquals(vHu, uHv, 1e-4 * (1 + Math.abs(vHu)));
    }

    @Test
    void backwardOfNonScalarWithoutSeedIsAClearError() {
        Tensor x = Tensor.ones(3).requiresGrad(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.mul(2f).backward());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("scalar"));
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = Tensor.ones(3).requiresGrad(true);
        try (var scope = GradMode.noGrad()) {
            org.junit.jupiter.api.Assertions.assertFalse(x.mul(2f).requiresGrad());
        }
        org.junit.jupiter.api.Assertions.assertTrue(x.mul(2f).requiresGrad());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        x.mul(3f).sum().backward();
        x.mul(x).sum().backward();
        assertEquals(3 + 2, x.grad().values()[0], 1e-6);
        assertEquals(3 + 4, x.grad().values()[1], 1e-6);
    }
}
