package dev.ravine.autograd;

import dev.ravine.tensor.Tensor;

/** Counts and describes the NaN and infinite values of a tensor or array, for {@link FiniteCheck}'s findings. */
final class NonFiniteCount {
    private NonFiniteCount() {}

    static int of(Tensor t) {
        return t == null ? 0 : of(t.values());
    }

    static int of(float[] v) {
        int n = 0;
        for (float x : v) if (!Float.isFinite(x)) n++;
        return n;
    }

    /** "3 NaN and 2 infinite of 640 values", or "640 finite values in [min, max]". */
    static String describe(Tensor t) {
        return describe(t.values());
    }

    static String describe(float[] v) {
        int nan = 0, inf = 0;
        for (float x : v) {
            if (Float.isNaN(x)) nan++;
            else if (Float.isInfinite(x)) inf++;
        }
        if (nan + inf == 0) return v.length + " finite values in " + range(v);
        return (nan > 0 ? nan + " NaN" : "") + (nan > 0 && inf > 0 ? " and " : "") + (inf > 0 ? inf + " infinite" : "") + " of " + v.length + " values";
    }

    /** "[min, max]" of the finite values (the non-finite ones are counted by {@link #describe}). */
    static String range(float[] v) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            if (!Float.isFinite(x)) continue;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return min > max ? "[none finite]" : "[" + fmt(min) + ", " + fmt(max) + "]";
    }

    /** Each non-null input's range, "in [a, b] and [c, d]". */
    static String ranges(Tensor[] inputs) {
        StringBuilder sb = new StringBuilder("in ");
        boolean first = true;
        for (Tensor t : inputs) {
            if (t == null) continue;
            if (!first) sb.append(" and ");
            first = false;
            int bad = of(t);
            sb.append(range(t.values())).append(bad > 0 ? " (" + describe(t) + ")" : "");
        }
        return first ? "" : sb.toString();
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
