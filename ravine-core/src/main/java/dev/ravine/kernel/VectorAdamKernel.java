package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API body of {@link AdamKernel}; loaded only when the Vector API is in use. */
final class VectorAdamKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorAdamKernel() {}

    /** Updates the whole vectors' worth of elements; returns where the scalar tail starts. */
    static int update(float[] g, float[] m, float[] v, float[] vMax, AdamKernel.Constants k) {
        boolean lowWeight = k.oneMinusB1() < 0.5f;
        int end = S.loopBound(g.length);
        for (int i = 0; i < end; i += S.length()) {
            element(g, m, v, vMax, i, k, lowWeight).intoArray(g, i);
        }
        return end;
    }

    /** The moments of the vector at i updated in place, and its preconditioned step, as AdamKernel's scalar element. */
    private static FloatVector element(float[] g, float[] m, float[] v, float[] vMax, int i, AdamKernel.Constants k,
                                       boolean lowWeight) {
        FloatVector gi = FloatVector.fromArray(S, g, i), mi = FloatVector.fromArray(S, m, i);
        FloatVector diff = gi.sub(mi);
        // lerp's two forms, as AdamKernel.lerp: start + w (end - start), or end - (end - start)(1 - w)
        mi = lowWeight ? mi.add(diff.mul(k.oneMinusB1())) : gi.sub(diff.mul(k.b1()));
        mi.intoArray(m, i);
        FloatVector vi = FloatVector.fromArray(S, v, i).mul(k.b2()).add(gi.mul(k.oneMinusB2()).mul(gi));
        vi.intoArray(v, i);
        if (vMax != null) {
            vi = FloatVector.fromArray(S, vMax, i).max(vi);
            vi.intoArray(vMax, i);
        }
        return mi.mul(k.invBc1()).div(vi.sqrt().div(k.bc2Sqrt()).add(k.eps()));
    }

    /** {@link AdamKernel#step} over whole vectors; returns where the scalar tail starts. */
    static int step(float[] g, float[] m, float[] v, float[] vMax, AdamKernel.Constants k, float factor, float[] u, float[] w) {
        boolean lowWeight = k.oneMinusB1() < 0.5f;
        int end = S.loopBound(g.length);
        for (int i = 0; i < end; i += S.length()) {
            FloatVector ui = element(g, m, v, vMax, i, k, lowWeight).mul(factor);
            ui.intoArray(u, i);
            FloatVector.fromArray(S, w, i).add(ui).intoArray(w, i);
        }
        return end;
    }
}
