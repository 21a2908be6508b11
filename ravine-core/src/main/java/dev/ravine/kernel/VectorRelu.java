package dev.ravine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API body of {@link ReluKernel}; loaded only when the Vector API is in use. */
final class VectorRelu {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorRelu() {}

    static void forward(float[] x, float[] out, int from, int to) {
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
            FloatVector.fromArray(S, x, i).max(0f).intoArray(out, i);
        }
        for (; i < to; i++) out[i] = Math.max(x[i], 0f);
    }

    static void backward(float[] g, float[] x, float[] out, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, g, i), positive).intoArray(out, i);
        }
        for (; i < to; i++) out[i] = x[i] > 0 ? g[i] : 0f;
    }
}
