package dev.ravine.kernel;

/**
 * Adam's per-element update (torch.optim.Adam's exact arithmetic, see {@code dev.ravine.optim.ScaleByAdam}) over
 * whole arrays, in place: m = lerp(m, g, 1 - beta1); v = beta2 v + (1 - beta2) g^2; (AMSGrad: vMax = max(vMax, v));
 * g := (m / bc1) / (sqrt(v) / sqrt(bc2) + eps). The Vector API body does the same float operations in the same order
 * (IEEE sqrt and division are exact-rounded in both), so both give the same bits.
 */
public final class AdamKernel {
    private static final boolean VECTOR = Gemm.implementation().startsWith("vector");

    private AdamKernel() {}

    /** The step's constants: beta1, beta2 and their complements as floats, 1 / bias correction 1, sqrt(bias correction 2), eps. */
    public record Constants(float b1, float b2, float oneMinusB1, float oneMinusB2, float invBc1, float bc2Sqrt, float eps) {}

    /** Updates m, v (and vMax, when not null) and overwrites g with the preconditioned step. */
    public static void update(float[] g, float[] m, float[] v, float[] vMax, Constants k) {
        int i = VECTOR ? VectorAdamKernel.update(g, m, v, vMax, k) : 0;
        for (; i < g.length; i++) g[i] = element(g[i], m, v, vMax, i, k);
    }

    /**
     * Adam's update, the learning rate and the weight update in one pass, for the chain adam -> lr: the same float
     * operations as {@link #update} on a copy of g, then u *= factor, then w += u (so the same bits), reading g, m, v
     * and w once instead of four passes over the step's arrays. g is left as it is; u receives the parameter's change.
     */
    public static void step(float[] g, float[] m, float[] v, float[] vMax, Constants k, float factor, float[] u, float[] w) {
        int i = VECTOR ? VectorAdamKernel.step(g, m, v, vMax, k, factor, u, w) : 0;
        for (; i < g.length; i++) {
            float ui = element(g[i], m, v, vMax, i, k) * factor;
            u[i] = ui;
            w[i] += ui;
        }
    }

    /** One element's moments updated in place, and its preconditioned step (m / bc1) / (sqrt(v) / sqrt(bc2) + eps). */
    private static float element(float gi, float[] m, float[] v, float[] vMax, int i, Constants k) {
        m[i] = lerp(m[i], gi, k.oneMinusB1(), k.b1());
        v[i] = k.b2() * v[i] + k.oneMinusB2() * gi * gi;
        float vi = v[i];
        if (vMax != null) {
            vMax[i] = Math.max(vMax[i], vi);
            vi = vMax[i];
        }
        return m[i] * k.invBc1() / ((float) Math.sqrt(vi) / k.bc2Sqrt() + k.eps());
    }

    /** torch.lerp(start, end, w) as computed for float tensors, so the first moment matches bit for bit. */
    public static float lerp(float start, float end, float weight, float oneMinusWeight) {
        return weight < 0.5f ? start + weight * (end - start) : end - (end - start) * oneMinusWeight;
    }
}
