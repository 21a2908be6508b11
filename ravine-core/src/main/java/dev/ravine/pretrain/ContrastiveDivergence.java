package dev.ravine.pretrain;

import dev.ravine.kernel.Gemm;
import dev.ravine.tensor.Rng;

/**
 * Estimates an RBM's gradient by contrastive divergence (Hinton, 2002): the positive phase on the data, the negative
 * phase at the end of k steps of block Gibbs sampling (h ~ p(h | v), then v ~ p(v | h)). CD-k starts each chain at
 * the batch; persistent CD keeps its chains, the fantasy particles, from one call to the next, so that over training
 * they follow the model's own distribution (Tieleman, 2008).
 */
public final class ContrastiveDivergence {
    private final int k;
    private final boolean persistent;
    private final int particleCount;
    private float[] particles;

    /**
     * @param particleCount the number of persistent chains (ignored without {@code persistent}); they start at the
     *                      first batch's samples, repeated when the batch is smaller
     */
    public ContrastiveDivergence(int k, boolean persistent, int particleCount) {
        if (k < 1) throw new IllegalArgumentException("CD needs at least one Gibbs step, got k=" + k);
        if (persistent && particleCount < 1) throw new IllegalArgumentException("persistent CD needs at least one particle");
        this.k = k;
        this.persistent = persistent;
        this.particleCount = particleCount;
    }

    /** The persistent chains' current visible states [particles, visible] (a copy), or null before the first batch or without persistence. */
    public float[] particles() {
        return particles == null ? null : particles.clone();
    }

    /** The gradient estimate for a batch of n samples v [n, visible]; draws from {@code rng}. */
    public RbmGradient gradient(Rbm rbm, float[] v, int n, Rng rng) {
        int nv = rbm.visible(), nh = rbm.hidden();
        float[] dataHidden = rbm.hiddenProbabilities(v, n);
        float[] dw = new float[nv * nh];
        float[] db = new float[nv];
        float[] dc = new float[nh];
        accumulate(v, dataHidden, n, nv, nh, 1f / n, 0f, dw, db, dc);

        float[] firstHidden = Rbm.sampleBinary(dataHidden, rng);
        float[] reconstruction = rbm.visibleMeans(firstHidden, n);
        double error = 0;
        for (int i = 0; i < reconstruction.length; i++) {
            double d = v[i] - reconstruction[i];
            error += d * d;
        }

        float[] chain;
        int m;
        if (persistent) {
            if (particles == null) particles = startParticles(v, n, nv);
            chain = particles;
            m = particleCount;
            for (int step = 0; step < k; step++) chain = gibbsStep(rbm, chain, m, rng);
            particles = chain;
        } else {
            // the first step's hidden sample is the one the reconstruction used
            chain = rbm.sampleVisible(reconstruction, rng);
            m = n;
            for (int step = 1; step < k; step++) chain = gibbsStep(rbm, chain, m, rng);
        }
        float[] modelHidden = rbm.hiddenProbabilities(chain, m);
        accumulate(chain, modelHidden, m, nv, nh, -1f / m, 1f, dw, db, dc);
        return new RbmGradient(dw, db, dc, error / ((double) n * nv));
    }

    private float[] startParticles(float[] v, int n, int nv) {
        float[] p = new float[particleCount * nv];
        for (int r = 0; r < particleCount; r++) System.arraycopy(v, (r % n) * nv, p, r * nv, nv);
        return p;
    }

    private static float[] gibbsStep(Rbm rbm, float[] v, int n, Rng rng) {
        float[] h = Rbm.sampleBinary(rbm.hiddenProbabilities(v, n), rng);
        return rbm.sampleVisible(rbm.visibleMeans(h, n), rng);
    }

    /** dw = beta * dw + scale * v^T h; db += scale * column sums of v; dc += scale * column sums of h. */
    private static void accumulate(float[] v, float[] h, int n, int nv, int nh, float scale, float beta,
                                   float[] dw, float[] db, float[] dc) {
        Gemm.gemm(true, false, nv, nh, n, scale, v, 0, nv, h, 0, nh, beta, dw, 0, nh);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < nv; i++) db[i] += scale * v[r * nv + i];
            for (int j = 0; j < nh; j++) dc[j] += scale * h[r * nh + j];
        }
    }
}
