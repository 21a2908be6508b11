package dev.ravine.optim;

/**
 * The max-norm constraint (Srebro et al. 2005; Hinton et al. 2012 with dropout): after each update, every unit's
 * incoming weight vector (a row of a [out, in] weight, or all of [out, in, k...] for one output channel) is rescaled
 * to L2 norm at most {@code maxNorm}, like torch.renorm(w, 2, 0, maxNorm). Biases and normalization gains (rank 1)
 * are left alone.
 */
public record MaxNorm(double maxNorm) implements ParamConstraint {
    public MaxNorm {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) throw new IllegalArgumentException("max_norm must be a positive finite number, got " + maxNorm);
    }

    @Override
    public void apply(String name, int[] shape, float[] values, double lr) {
        if (!ParamConstraint.isWeight(name, shape)) return;
        int rows = shape[0];
        int cols = values.length / rows;
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = r * cols; j < (r + 1) * cols; j++) sum += (double) values[j] * values[j];
            double norm = Math.sqrt(sum);
            if (norm <= maxNorm) continue;
            float f = (float) (maxNorm / norm);
            for (int j = r * cols; j < (r + 1) * cols; j++) values[j] *= f;
        }
    }

    @Override
    public String describe() {
        return "max_norm(" + maxNorm + ")";
    }
}
