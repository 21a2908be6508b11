package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API body of {@link SigmoidAndTanh}; loaded only when the Vector API is in use. */
final class VectorSigmoidAndTanh {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorSigmoidAndTanh() {}

    static void sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) sigmoid(FloatVector.fromArray(S, x, xOff + i)).intoArray(out, outOff + i);
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            sigmoid(FloatVector.fromArray(S, x, xOff + i, tail)).intoArray(out, outOff + i, tail);
        }
    }

    static void tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.TANH).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> tail = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, tail).lanewise(VectorOperators.TANH).intoArray(out, outOff + i, tail);
        }
    }

    /** 1 / (1 + e) for x >= 0 and e / (1 + e) below, with e = exp(-|x|) <= 1: exp never overflows. */
    private static FloatVector sigmoid(FloatVector x) {
        FloatVector e = x.abs().neg().lanewise(VectorOperators.EXP);
        FloatVector numerator = e.blend(1f, x.compare(VectorOperators.GE, 0f));
        return numerator.div(e.add(1f));
    }
}
