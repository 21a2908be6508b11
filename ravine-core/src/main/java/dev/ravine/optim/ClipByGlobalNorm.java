package dev.ravine.optim;

import dev.ravine.linalg.DenseVectors;
import java.util.List;
import java.util.Map;

/**
 * torch.nn.utils.clip_grad_norm_(params, maxNorm, normType = p): the p-norm of all (active) gradients together,
 * {@code total = (sum |g|^p)^(1/p)} (max |g| for p = infinity), and when {@code scale = maxNorm / (total + 1e-6)} is
 * below 1 every gradient is multiplied by it. Put it first in the chain.
 *
 * <p>A non-finite total is torch's case too: a NaN total makes the scale NaN and every gradient NaN (so the NaN reaches
 * every weight and the loss, where the trainer and the doctor see it, instead of hiding in one entry), and an infinite
 * total makes the scale 0, so finite entries become 0 and infinite ones NaN. With {@code errorIfNonfinite} (torch's
 * {@code error_if_nonfinite}) it throws {@link NonFiniteGradientsException} instead, before touching any gradient.
 *
 * <p>The norm before clipping is exposed for the doctor and logs: {@link #lastNorm(TransformState)} reads it from
 * the link's state, and the state's counters hold {@code clipped} (steps on which clipping applied) and
 * {@code last_norm_bits} (the last norm as {@link Double#doubleToRawLongBits}, so checkpoints carry it too).
 */
public record ClipByGlobalNorm(double maxNorm, double p, boolean errorIfNonfinite) implements GradientTransform {
    public ClipByGlobalNorm {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) throw new IllegalArgumentException("max_norm must be a positive finite number, got " + maxNorm);
        if (!(p > 0)) throw new IllegalArgumentException("norm type p must be > 0 (or infinity), got " + p);
    }

    public ClipByGlobalNorm(double maxNorm, double p) {
        this(maxNorm, p, false);
    }

    public ClipByGlobalNorm(double maxNorm) {
        this(maxNorm, 2);
    }

    @Override
    public TransformState init(List<float[]> params) {
        return new NormState(new long[1], new long[] {Double.doubleToRawLongBits(Double.NaN)});
    }

    /** The gradients' total norm before clipping at the last step (NaN before the first step). */
    public static double lastNorm(TransformState state) {
        return Double.longBitsToDouble(((NormState) state).lastNormBits()[0]);
    }

    /**
     * The norm before clipping at the last step of an optimizer whose chain has a ClipByGlobalNorm link (at the top
     * level, where the config puts it); NaN when it has none or before the first step. For the doctor and logs.
     */
    public static double lastNorm(Optimizer optimizer) {
        if (optimizer.transform() instanceof Chain c && optimizer.state() instanceof Chain.ChainState s) {
            for (int i = 0; i < c.links().size(); i++) {
                if (c.links().get(i) instanceof ClipByGlobalNorm) return lastNorm(s.states().get(i));
            }
        }
        return Double.NaN;
    }

    /** Steps on which the gradients were scaled down. */
    public static long clippedSteps(TransformState state) {
        return ((NormState) state).clipped()[0];
    }

    /** The p-norm of the active parameters' updates together (torch's total_norm). */
    static double totalNorm(float[][] updates, StepContext context, double p) {
        if (Double.isInfinite(p)) {
            double max = 0;
            for (int q = 0; q < updates.length; q++) {
                if (!context.isActive(q)) continue;
                for (float v : updates[q]) max = Math.max(max, Math.abs(v));
            }
            return max;
        }
        double sum = 0;
        for (int q = 0; q < updates.length; q++) {
            if (!context.isActive(q)) continue;
            if (p == 2) sum += DenseVectors.sumOfSquares(updates[q]);
            else for (float v : updates[q]) sum += Math.pow(Math.abs(v), p);
        }
        return p == 2 ? Math.sqrt(sum) : Math.pow(sum, 1 / p);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        NormState s = (NormState) state;
        double total = totalNorm(updates, context, p);
        s.lastNormBits()[0] = Double.doubleToRawLongBits(total);
        if (errorIfNonfinite && !Double.isFinite(total)) throw new NonFiniteGradientsException(total, normType());
        double scale = maxNorm / (total + 1e-6);
        // torch multiplies by min(scale, 1) always; a scale of 1 changes nothing, a NaN one (NaN total) must still apply
        if (!(scale < 1) && !Double.isNaN(scale)) return;
        s.clipped()[0]++;
        float f = (float) scale;
        for (int q = 0; q < updates.length; q++) {
            if (!context.isActive(q)) continue;
            float[] u = updates[q];
            for (int i = 0; i < u.length; i++) u[i] *= f;
        }
    }

    @Override
    public String describe() {
        return "clip_global_norm(" + maxNorm + ", p=" + normType() + (errorIfNonfinite ? ", error_if_nonfinite" : "") + ")";
    }

    private String normType() {
        return Double.isInfinite(p) ? "inf" : Double.toString(p);
    }

    record NormState(long[] clipped, long[] lastNormBits) implements TransformState {
        @Override
        public Map<String, float[][]> arrays() {
            return Map.of();
        }

        @Override
        public Map<String, long[]> counters() {
            return Map.of("clipped", clipped, "last_norm_bits", lastNormBits);
        }
    }
}
