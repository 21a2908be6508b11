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
        for (; i < g.length; i++) {
            float gi = g[i];
            m[i] = lerp(m[i], gi, k.oneMinusB1(), k.b1());
            v[i] = k.b2() * v[i] + k.oneMinusB2() * gi * gi;
            float vi = v[i];
            if (vMax != null) {
                vMax[i] = Math.max(vMax[i], vi);
                vi = vMax[i];
            }
            g[i] = m[i] * k.invBc1() / ((float) Math.sqrt(vi) / k.bc2Sqrt() + k.eps());
        }
    }

    /** torch.lerp(start, end, w) as computed for float tensors, so the first moment matches bit for bit. */
    public static float lerp(float start, float end, float weight, float oneMinusWeight) {
        return weight < 0.5f ? start + weight * (end - start) : end - (end - start) * oneMinusWeight;
    }
}
