package dev.ravine.lab.net;

import dev.ravine.data.Dataset;
import dev.ravine.nn.Linear;

/**
 * The affine map u = (x - min) / scale that puts a data set's features onto [0, 1] (its smallest value to 0, its
 * largest to 1): on the standardized digits, blank pixels to 0 and full ink to 1, the intensities a Bernoulli RBM reads
 * as probabilities. {@link #foldInto} rewrites a Linear layer trained on u to compute the same outputs from x, so a
 * net can be pre-trained on [0, 1] inputs and fine-tuned on the standardized ones it was built for.
 */
public record UnitRange(double min, double scale) {
    public UnitRange {
        if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(min)) {
            throw new IllegalArgumentException("a unit range needs a finite min and a positive scale, got min " + min + ", scale " + scale);
        }
    }

    /** The range of {@code data}'s features. */
    public static UnitRange of(Dataset data) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : data.features()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!(hi > lo)) throw new IllegalArgumentException("the features are all " + lo + ": no range to map onto [0, 1]");
        return new UnitRange(lo, hi - lo);
    }

    /** The features of {@code data} mapped, [n, ...] row-major. */
    public float[] apply(Dataset data) {
        float[] x = data.features(), u = new float[x.length];
        for (int i = 0; i < x.length; i++) u[i] = (float) ((x[i] - min) / scale);
        return u;
    }

    /**
     * W u + b = (W / scale) x + (b - (min / scale) sum_i W_i): the layer's weights divided by the scale and each bias
     * shifted by its row's sum, so that it computes on x what it computed on u.
     *
     * @throws IllegalArgumentException when the layer has no bias to take the shift
     */
    public void foldInto(Linear layer) {
        if (layer.bias() == null) throw new IllegalArgumentException("folding a unit range into a linear layer needs its bias");
        float[] w = layer.weight().storage(), b = layer.bias().storage();
        int[] shape = layer.weight().shape();
        int out = shape[0], in = shape[1], wOff = layer.weight().offset(), bOff = layer.bias().offset();
        if (!layer.weight().isContiguous()) throw new IllegalArgumentException("folding a unit range needs a contiguous weight");
        for (int j = 0; j < out; j++) {
            double rowSum = 0;
            for (int i = 0; i < in; i++) {
                int at = wOff + j * in + i;
                rowSum += w[at];
                w[at] = (float) (w[at] / scale);
            }
            b[bOff + j] = (float) (b[bOff + j] - min / scale * rowSum);
        }
    }
}
