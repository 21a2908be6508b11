package dev.ravine.doctor.instrument;

import dev.ravine.nn.Activation;
import dev.ravine.nn.Module;

/** Statistics of one layer's output tensor: mean, std, per-unit activity (ReLU) and saturation (sigmoid, tanh). */
final class ActivationProbe {
    private ActivationProbe() {}

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

    /**
     * A convolution map's activity per channel: a channel is active when it is active at some position. The dead-unit
     * rule's unit in a map [batch, channels, height, width] is the channel, not the position, because every position
     * of a channel shares its kernel: a position silent on every sample (a digit's blank border, the low half of a
     * group-normalized map) still passes gradient to the kernel through the positions that fire, so it has not stopped
     * learning; only a channel silent everywhere has (a group-normalized CNN whose every position of layer 6 was
     * silent stayed at chance, one with 85% of its positions silent trained to 0.26x chance).
     */
    static boolean[] perChannel(boolean[] active, int channels) {
        if (channels <= 0 || active.length % channels != 0) return active;
        int positions = active.length / channels;
        boolean[] out = new boolean[channels];
        for (int c = 0; c < channels; c++) {
            for (int k = c * positions; k < (c + 1) * positions && !out[c]; k++) out[c] = active[k];
        }
        return out;
    }

    static boolean isRelu(Module m) {
        return m instanceof Activation a && (a.activation() == Activation.Kind.RELU);
    }

    /**
     * Mean and population std of {@code n} values from their sum and sum of squares (MomentKernel.sums, in double; values
     * are activations: no catastrophic cancellation worry at float scale). A layer output's units are everything but
     * the batch axis: a channel at a position is a unit of a convolution.
     */
    static double[] meanStd(double sum, double sumSq, int n) {
        double mean = sum / Math.max(1, n);
        return new double[] {mean, Math.sqrt(Math.max(0, sumSq / Math.max(1, n) - mean * mean))};
    }
}
