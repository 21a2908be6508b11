package dev.ravine.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The CD estimates of a 3-visible, 2-hidden RBM against exact expectations by enumeration ({@link TinyRbm}): over a
 * batch of 4 data vectors repeated 5,000 times, each sampled statistic has a standard error below 0.004.
 */
class ContrastiveDivergenceTest {
    private static final double[][] DATA = {{1, 0, 1}, {1, 1, 0}, {0, 0, 1}, {1, 1, 1}};
    private static final int COPIES = 5000;
    private static final double TOL = 0.02;

    private final TinyRbm exact = new TinyRbm(RbmTest.tiny(VisibleUnits.BERNOULLI));

    @Test void cd1GradientIsTheDataStatisticsMinusTheOneStepExpectation() {
        double[] expected = difference(exact.dataStatistics(DATA), exact.oneStepStatistics(DATA));
        double[] got = flatten(new ContrastiveDivergence(1, false, 0).gradient(exact.rbm(), repeated(), DATA.length * COPIES, new Rng(5)));
        assertClose(expected, got, TOL);
        // and CD-1 is measurably not the likelihood gradient for this RBM, so the check above tells them apart
        double[] likelihood = difference(exact.dataStatistics(DATA), exact.modelStatistics());
        assertTrue(maxAbsDifference(likelihood, got) > 3 * TOL, "CD-1 should differ from the exact gradient here");
    }

    @Test void cdWithManyStepsConvergesToTheLikelihoodGradient() {
        double[] likelihood = difference(exact.dataStatistics(DATA), exact.modelStatistics());
        double[] cd1 = flatten(new ContrastiveDivergence(1, false, 0).gradient(exact.rbm(), repeated(), DATA.length * COPIES, new Rng(6)));
        double[] cd50 = flatten(new ContrastiveDivergence(50, false, 0).gradient(exact.rbm(), repeated(), DATA.length * COPIES, new Rng(6)));
        assertClose(likelihood, cd50, TOL);
        assertTrue(maxAbsDifference(likelihood, cd50) < maxAbsDifference(likelihood, cd1) / 3,
                "CD-50 error " + maxAbsDifference(likelihood, cd50) + " vs CD-1 error " + maxAbsDifference(likelihood, cd1));
    }

    @Test void persistentChainsContinueFromWhereTheLastBatchLeftThem() {
        Rbm rbm = exact.rbm();
        float[] first = {1, 0, 1, 1, 1, 0};
        float[] b = {0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0};
        float[] c = new float[b.length];
        for (int i = 0; i < b.length; i++) c[i] = 1 - b[i];
        ContrastiveDivergence one = new ContrastiveDivergence(1, true, 6);
        ContrastiveDivergence two = new ContrastiveDivergence(1, true, 6);
        assertArrayEquals(null, one.particles());
        one.gradient(rbm, first, 2, new Rng(9));
        two.gradient(rbm, first, 2, new Rng(9));
        float[] kept = one.particles();
        assertEquals(6 * 3, kept.length);
        assertArrayEquals(kept, two.particles());
        // Next batches differ but the same draws are made: the chains go on from the kept particles, not the data,
        // so they end in the same states, and the gradients differ by the data statistics only.
        RbmGradient gb = one.gradient(rbm, b, 6, new Rng(10));
        RbmGradient gc = two.gradient(rbm, c, 6, new Rng(10));
        assertArrayEquals(one.particles(), two.particles());
        assertFalse(Arrays.equals(kept, one.particles()), "the chains moved");
        double[] dataDifference = difference(data(rbm, b), data(rbm, c));
        assertClose(dataDifference, difference(flatten(gb), flatten(gc)), 1e-6);

        // Without persistence the negative phase starts at the data, so the two gradients differ by more than that
        RbmGradient cb = new ContrastiveDivergence(1, false, 0).gradient(rbm, b, 6, new Rng(10));
        RbmGradient cc = new ContrastiveDivergence(1, false, 0).gradient(rbm, c, 6, new Rng(10));
        double cdGap = maxAbsDifference(dataDifference, difference(flatten(cb), flatten(cc)));
        assertTrue(cdGap > 0.05, "gap " + cdGap);
    }

    /** The data statistics of a batch, as the gradient lays them out. */
    private static double[] data(Rbm rbm, float[] batch) {
        TinyRbm t = new TinyRbm(rbm);
        double[][] rows = new double[batch.length / 3][3];
        for (int r = 0; r < rows.length; r++) for (int i = 0; i < 3; i++) rows[r][i] = batch[r * 3 + i];
        return t.dataStatistics(rows);
    }

    private static float[] repeated() {
        float[] v = new float[DATA.length * COPIES * 3];
        for (int r = 0; r < DATA.length * COPIES; r++) for (int i = 0; i < 3; i++) v[r * 3 + i] = (float) DATA[r % DATA.length][i];
        return v;
    }

    private static double[] flatten(RbmGradient g) {
        double[] out = new double[g.weights().length + g.visibleBias().length + g.hiddenBias().length];
        int k = 0;
        for (float x : g.weights()) out[k++] = x;
        for (float x : g.visibleBias()) out[k++] = x;
        for (float x : g.hiddenBias()) out[k++] = x;
        return out;
    }

    private static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }

    private static double maxAbsDifference(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    private static void assertClose(double[] expected, double[] got, double tol) {
        assertTrue(maxAbsDifference(expected, got) <= tol, "expected " + Arrays.toString(expected) + "\n got " + Arrays.toString(got));
    }
}
