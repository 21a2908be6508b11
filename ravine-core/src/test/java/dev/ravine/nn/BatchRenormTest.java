package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.autograd.GradCheck;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batch renormalization against Ioffe (2017)'s Algorithm 1 and its backward equations, computed here in double:
 * forward output, r and d clipping, gradients with r and d held constant, the running updates of mu and sigma, the
 * inference output, and the r_max / d_max schedule.
 */
class BatchRenormTest {
    private static final double EPS = 1e-5;
    private final Rng rng = new Rng(99);

    /** x [n, c, l]; channel 0's statistics are near the running ones (r and d inside the bounds), the others not. */
    private BatchRenorm layerWithState(RenormSchedule schedule, double momentum) {
        BatchRenorm layer = BatchRenorm.of1d(3, EPS, momentum, schedule);
        layer.runningMean().copyFrom(new float[] {0.2f, -3f, 0.1f});
        layer.runningStd().copyFrom(new float[] {1.1f, 0.5f, 9f});
        layer.namedParameters().get("weight").copyFrom(new float[] {1.3f, 0.7f, -0.4f});
        layer.namedParameters().get("bias").copyFrom(new float[] {0.1f, -0.2f, 0.5f});
        return layer;
    }

    private Tensor input(int n, int c, int l) {
        return Tensor.normal(rng, 0.3f, 1.2f, n, c, l);
    }

    /** The paper's forward and backward for one channel, in double: returns {y, dL/dx, dL/dgamma, dL/dbeta, muB, sigmaB}. */
    private static double[][] paper(double[] x, double[] dy, double mu, double sigma, double gamma, double beta, double rMax, double dMax) {
        int m = x.length;
        double muB = 0;
        for (double v : x) muB += v / m;
        double var = 0;
        for (double v : x) var += (v - muB) * (v - muB) / m;
        double sigmaB = Math.sqrt(var + EPS);
        double r = Math.max(1 / rMax, Math.min(rMax, sigmaB / sigma));
        double d = Math.max(-dMax, Math.min(dMax, (muB - mu) / sigma));
        double[] y = new double[m], xhat = new double[m], dxhat = new double[m], dx = new double[m];
        double dGamma = 0, dBeta = 0, dSigmaB = 0, dMuB = 0;
        for (int i = 0; i < m; i++) {
            xhat[i] = (x[i] - muB) / sigmaB * r + d;
            y[i] = gamma * xhat[i] + beta;
            dxhat[i] = dy[i] * gamma;
            dGamma += dy[i] * xhat[i];
            dBeta += dy[i];
            dSigmaB += dxhat[i] * (x[i] - muB) * (-r / (sigmaB * sigmaB));
            dMuB += dxhat[i] * (-r / sigmaB);
        }
        for (int i = 0; i < m; i++) dx[i] = dxhat[i] * r / sigmaB + dSigmaB * (x[i] - muB) / (m * sigmaB) + dMuB / m;
        return new double[][] {y, dx, {dGamma}, {dBeta}, {muB}, {sigmaB}, {r}, {d}};
    }

    @Test void trainingForwardBackwardAndRunningUpdateFollowThePaper() {
        double rMax = 1.5, dMax = 0.5, momentum = 0.05;
        BatchRenorm layer = layerWithState(RenormSchedule.constant(rMax, dMax), momentum);
        float[] mu0 = layer.runningMean().toArray(), sigma0 = layer.runningStd().toArray();
        float[] gamma = layer.namedParameters().get("weight").toArray(), beta = layer.namedParameters().get("bias").toArray();
        int n = 4, c = 3, l = 5;
        Tensor x = input(n, c, l).requiresGrad(true);
        Tensor dy = Tensor.normal(rng, 0f, 1f, n, c, l);
        Tensor y = layer.call(x);
        y.mul(dy).sum().backward();

        float[] xs = x.toArray(), dys = dy.toArray(), ys = y.toArray(), dxs = x.grad().toArray();
        boolean sawClippedR = false, sawFreeR = false, sawClippedD = false;
        for (int ch = 0; ch < c; ch++) {
            double[] xc = new double[n * l], dyc = new double[n * l];
            int[] where = new int[n * l];
            for (int s = 0, k = 0; s < n; s++) {
                for (int t = 0; t < l; t++, k++) {
                    where[k] = (s * c + ch) * l + t;
                    xc[k] = xs[where[k]];
                    dyc[k] = dys[where[k]];
                }
            }
            double[][] p = paper(xc, dyc, mu0[ch], sigma0[ch], gamma[ch], beta[ch], rMax, dMax);
            for (int k = 0; k < xc.length; k++) {
                assertEquals(p[0][k], ys[where[k]], 1e-5, "y, channel " + ch);
                assertEquals(p[1][k], dxs[where[k]], 1e-5, "dL/dx, channel " + ch);
            }
            assertEquals(p[2][0], layer.namedParameters().get("weight").grad().toArray()[ch], 1e-4, "dL/dgamma, channel " + ch);
            assertEquals(p[3][0], layer.namedParameters().get("bias").grad().toArray()[ch], 1e-4, "dL/dbeta, channel " + ch);
            assertEquals(mu0[ch] + momentum * (p[4][0] - mu0[ch]), layer.runningMean().toArray()[ch], 1e-6, "running mu");
            assertEquals(sigma0[ch] + momentum * (p[5][0] - sigma0[ch]), layer.runningStd().toArray()[ch], 1e-6, "running sigma");
            double r = p[6][0], d = p[7][0];
            if (r == rMax || r == 1 / rMax) sawClippedR = true;
            else sawFreeR = true;
            if (Math.abs(d) == dMax) sawClippedD = true;
        }
        assertTrue(sawClippedR && sawFreeR && sawClippedD, "the case must exercise both clipped and unclipped corrections");
        assertEquals(1, layer.step());
    }

    @Test void duringTheWarmUpItIsBatchNorm() {
        BatchRenorm renorm = layerWithState(RenormSchedule.paper(), 0.01);
        BatchNorm bn = BatchNorm.of1d(3);
        bn.namedParameters().get("weight").copyFrom(renorm.namedParameters().get("weight").toArray());
        bn.namedParameters().get("bias").copyFrom(renorm.namedParameters().get("bias").toArray());
        Tensor x = input(6, 3, 2);
        assertArrayEquals(bn.call(x).toArray(), renorm.call(x).toArray(), 1e-5f);
    }

    @Test void evalUsesTheRunningMeanAndStd() {
        BatchRenorm layer = layerWithState(RenormSchedule.paper(), 0.01);
        layer.eval();
        Tensor x = input(2, 3, 4);
        float[] xs = x.toArray(), ys = layer.call(x).toArray();
        float[] mu = {0.2f, -3f, 0.1f}, sigma = {1.1f, 0.5f, 9f}, gamma = {1.3f, 0.7f, -0.4f}, beta = {0.1f, -0.2f, 0.5f};
        for (int i = 0; i < xs.length; i++) {
            int ch = (i / 4) % 3;
            assertEquals(gamma[ch] * (xs[i] - mu[ch]) / sigma[ch] + beta[ch], ys[i], 1e-5);
        }
        assertEquals(0, layer.step(), "eval forwards are not training steps");
    }

    @Test void paperScheduleRampsLinearlyAfterTheWarmUp() {
        RenormSchedule s = RenormSchedule.paper();
        assertEquals(1, s.rMaxAt(0));
        assertEquals(0, s.dMaxAt(5_000));
        assertEquals(1 + 2 * (10_000.0 / 35_000), s.rMaxAt(15_000), 1e-12);
        assertEquals(5 * (10_000.0 / 20_000), s.dMaxAt(15_000), 1e-12);
        assertEquals(5, s.dMaxAt(25_000));
        assertEquals(3, s.rMaxAt(40_000));
        assertEquals(3, s.rMaxAt(1_000_000));
        assertThrows(IllegalArgumentException.class, () -> new RenormSchedule(0.5, 1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RenormSchedule(2, 1, 10, 5, 20));
    }

    @Test void theLayerReadsItsScheduleAtItsStepCount() {
        // fully relaxed bounds only after step 10; with the running stats far off, r and d sit at the bounds
        BatchRenorm layer = BatchRenorm.of1d(2, EPS, 0, new RenormSchedule(2, 1, 0, 10, 10));
        layer.runningStd().copyFrom(new float[] {100f, 100f});
        layer.runningMean().copyFrom(new float[] {500f, -500f});
        Tensor x = input(8, 2, 1).reshape(8, 2);
        Tensor early = layer.call(x);
        layer.namedBuffers().get("num_batches_tracked").copyFrom(new float[] {10});
        Tensor late = layer.call(x);
        BatchNorm bn = BatchNorm.of1d(2);
        float[] plain = bn.call(x).toArray(), a = early.toArray(), b = late.toArray();
        for (int i = 0; i < plain.length; i++) {
            float dSign = i % 2 == 0 ? -1 : 1; // (mu_B - mu) is very negative for channel 0, very positive for 1
            assertEquals(plain[i], a[i], 1e-5, "step 0: r_max 1, d_max 0");
            assertEquals(plain[i] / 2 + dSign, b[i], 1e-5, "step 10: r = 1/r_max, d = +-d_max");
        }
    }

    /** With momentum 0 the state does not move between calls, and with far-off running stats r and d are clipped. */
    @Test void gradCheckWithClippedCorrections() {
        for (boolean twoD : new boolean[] {false, true}) {
            RenormSchedule s = RenormSchedule.constant(2, 1);
            BatchRenorm layer = twoD ? BatchRenorm.of2d(2, EPS, 0, s) : BatchRenorm.of1d(2, EPS, 0, s);
            layer.runningStd().copyFrom(new float[] {50f, 0.01f});
            layer.runningMean().copyFrom(new float[] {400f, -400f});
            layer.namedParameters().get("weight").copyFrom(new float[] {1.2f, -0.8f});
            layer.namedParameters().get("bias").copyFrom(new float[] {0.3f, 0.1f});
            Tensor x = (twoD ? Tensor.uniform(rng, -1f, 1f, 3, 2, 2, 2) : Tensor.uniform(rng, -1f, 1f, 5, 2)).requiresGrad(true);
            List<Tensor> inputs = new ArrayList<>();
            inputs.add(x);
            inputs.addAll(layer.parameters());
            GradCheck.Result r = GradCheck.check(t -> layer.call(t.get(0)), inputs);
            assertTrue(r.passed(), layer.kind() + ": " + r);
        }
    }
}
