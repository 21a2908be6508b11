package dev.ravine.doctor.instrument;

import dev.ravine.nn.Activation;
import dev.ravine.nn.Module;

/** Statistics of one layer's output tensor: mean, std, per-unit activity (ReLU) and saturation (sigmoid, tanh). */
final class ActivationProbe {
    private ActivationProbe() {}

    /** Units are everything but the batch axis: a channel at a position is a unit of a convolution. */
    static boolean[] activeUnits(float[] v, int batch) {
        int units = batch == 0 ? 0 : v.length / batch;
        boolean[] active = new boolean[units];
        for (int s = 0; s < batch; s++) {
            int base = s * units;
            for (int u = 0; u < units; u++) if (v[base + u] > 0) active[u] = true;
        }
        return active;
    }

    static double fraction(boolean[] flags, boolean value) {
        if (flags.length == 0) return Double.NaN;
        int n = 0;
        for (boolean f : flags) if (f == value) n++;
        return n / (double) flags.length;
    }

    static double saturatedFraction(Module m, float[] v) {
        if (!(m instanceof Activation a)) return Double.NaN;
        return switch (a.activation()) {
            case SIGMOID -> countOutside(v, 0.01f, 0.99f) / (double) Math.max(1, v.length);
            case TANH -> countOutside(v, -0.99f, 0.99f) / (double) Math.max(1, v.length);
            default -> Double.NaN;
        };
    }

    private static int countOutside(float[] v, float low, float high) {
        int n = 0;
        for (float x : v) if (x < low || x > high) n++;
        return n;
    }

    static boolean isRelu(Module m) {
        return m instanceof Activation a && (a.activation() == Activation.Kind.RELU);
    }

    /** mean and population std in double, in one pass (values are activations: no catastrophic cancellation worry at float scale). */
    static double[] meanStd(float[] v) {
        double sum = 0, sumSq = 0;
        for (float x : v) {
            sum += x;
            sumSq += (double) x * x;
        }
        double mean = sum / Math.max(1, v.length);
        return new double[] {mean, Math.sqrt(Math.max(0, sumSq / Math.max(1, v.length) - mean * mean))};
    }
}
