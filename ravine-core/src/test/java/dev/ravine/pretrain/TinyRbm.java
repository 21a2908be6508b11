package dev.ravine.pretrain;

/**
 * Exact expectations of a tiny Bernoulli RBM by enumerating every joint state, for checking the sampled estimates:
 * p(v, h) is proportional to exp(b.v + c.h + v W h).
 */
final class TinyRbm {
    private final Rbm rbm;
    private final int nv, nh;
    private final float[] w, b, c;

    TinyRbm(Rbm rbm) {
        this.rbm = rbm;
        nv = rbm.visible();
        nh = rbm.hidden();
        w = rbm.weights();
        b = rbm.visibleBias();
        c = rbm.hiddenBias();
    }

    /** The binary vector of {@code size} units encoded by the bits of {@code code}. */
    static double[] state(int code, int size) {
        double[] s = new double[size];
        for (int i = 0; i < size; i++) s[i] = (code >> i) & 1;
        return s;
    }

    double energy(double[] v, double[] h) {
        double e = 0;
        for (int i = 0; i < nv; i++) e -= b[i] * v[i];
        for (int j = 0; j < nh; j++) e -= c[j] * h[j];
        for (int i = 0; i < nv; i++) for (int j = 0; j < nh; j++) e -= v[i] * w[i * nh + j] * h[j];
        return e;
    }

    /** p(h_j = 1 | v). */
    double[] hiddenGivenVisible(double[] v) {
        double[] p = new double[nh];
        for (int j = 0; j < nh; j++) {
            double x = c[j];
            for (int i = 0; i < nv; i++) x += v[i] * w[i * nh + j];
            p[j] = 1 / (1 + Math.exp(-x));
        }
        return p;
    }

    /** p(v_i = 1 | h). */
    double[] visibleGivenHidden(double[] h) {
        double[] p = new double[nv];
        for (int i = 0; i < nv; i++) {
            double x = b[i];
            for (int j = 0; j < nh; j++) x += w[i * nh + j] * h[j];
            p[i] = 1 / (1 + Math.exp(-x));
        }
        return p;
    }

    /** The probability of the binary state {@code s} under independent unit probabilities {@code p}. */
    static double probabilityOf(double[] s, double[] p) {
        double q = 1;
        for (int i = 0; i < s.length; i++) q *= s[i] == 1 ? p[i] : 1 - p[i];
        return q;
    }

    /**
     * The statistics [v_i h_j (nv*nh, row-major), v_i (nv), h_j (nh)] with p(h | v) in place of h, which is what
     * {@link ContrastiveDivergence} accumulates for one visible vector.
     */
    double[] statistics(double[] v) {
        double[] ph = hiddenGivenVisible(v);
        double[] s = new double[nv * nh + nv + nh];
        for (int i = 0; i < nv; i++) for (int j = 0; j < nh; j++) s[i * nh + j] = v[i] * ph[j];
        for (int i = 0; i < nv; i++) s[nv * nh + i] = v[i];
        for (int j = 0; j < nh; j++) s[nv * nh + nv + j] = ph[j];
        return s;
    }

    /** The model's expectation of {@link #statistics}: sum over every v of p(v) statistics(v). */
    double[] modelStatistics() {
        double[] out = new double[nv * nh + nv + nh];
        double z = 0;
        for (int vc = 0; vc < 1 << nv; vc++) {
            double[] v = state(vc, nv);
            double pv = 0;
            for (int hc = 0; hc < 1 << nh; hc++) pv += Math.exp(-energy(v, state(hc, nh)));
            z += pv;
            add(out, statistics(v), pv);
        }
        for (int i = 0; i < out.length; i++) out[i] /= z;
        return out;
    }

    /** The expectation of statistics(v1) after one Gibbs step v0 -> h0 -> v1, averaged over the data vectors. */
    double[] oneStepStatistics(double[][] data) {
        double[] out = new double[nv * nh + nv + nh];
        for (double[] v0 : data) {
            double[] ph0 = hiddenGivenVisible(v0);
            for (int hc = 0; hc < 1 << nh; hc++) {
                double[] h0 = state(hc, nh);
                double ph = probabilityOf(h0, ph0);
                double[] pv1 = visibleGivenHidden(h0);
                for (int vc = 0; vc < 1 << nv; vc++) {
                    double[] v1 = state(vc, nv);
                    add(out, statistics(v1), ph * probabilityOf(v1, pv1) / data.length);
                }
            }
        }
        return out;
    }

    /** The data's average of statistics(v). */
    double[] dataStatistics(double[][] data) {
        double[] out = new double[nv * nh + nv + nh];
        for (double[] v : data) add(out, statistics(v), 1.0 / data.length);
        return out;
    }

    Rbm rbm() {
        return rbm;
    }

    private static void add(double[] into, double[] x, double weight) {
        for (int i = 0; i < into.length; i++) into[i] += weight * x[i];
    }
}
