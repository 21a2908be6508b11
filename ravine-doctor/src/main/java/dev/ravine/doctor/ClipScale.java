package dev.ravine.doctor;

import dev.ravine.linalg.DenseVectors;
import dev.ravine.optim.Chain;
import dev.ravine.optim.ClipByGlobalNorm;
import dev.ravine.optim.ClipByLayerNorm;
import dev.ravine.optim.ClipByValue;
import dev.ravine.optim.GradientTransform;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.StepContext;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The factor by which gradient clipping shortened the last step: the step taken was lr x this x the gradient (before
 * momentum). A global-norm clip scales the whole gradient by max norm over its norm when that is below 1, which its
 * link's state records. A per-value clip (clip_value) or a per-parameter one (clip_layer_norm) changes the gradient's
 * direction as well as its length, so no single factor is exact; the share of the gradient's length that survives the
 * clip, ||clip(g)|| / ||g||, is what the step kept; along a ravine's steep direction, whose components dominate the
 * gradient's norm, it is about the factor those components were cut by. It is recomputed from the
 * gradients the parameters still hold after the step (the trainer zeroes them before the next backward pass), by the
 * clip link itself on a copy. 1 without a clip at the chain's top level, where the config puts it.
 */
final class ClipScale {
    private ClipScale() {}

    /** @param parameters the optimizer's parameters, in its order (their gradients are the last step's) */
    static double of(Optimizer optimizer, List<Tensor> parameters) {
        if (!(optimizer.transform() instanceof Chain c)) return 1;
        for (GradientTransform link : c.links()) {
            if (link instanceof ClipByGlobalNorm clip) return globalNorm(clip, ClipByGlobalNorm.lastNorm(optimizer));
            if (link instanceof ClipByValue || link instanceof ClipByLayerNorm) return keptLength(link, parameters);
        }
        return 1;
    }

    /** max norm / the gradient's norm when below 1, else 1 (and 1 when the norm is unknown). */
    private static double globalNorm(ClipByGlobalNorm clip, double norm) {
        return norm > 0 && Double.isFinite(norm) ? Math.min(1, clip.maxNorm() / (norm + 1e-6)) : 1;
    }

    /** ||clip(g)|| / ||g|| over the parameters that have a gradient; 1 when there is none or it is not finite. */
    private static double keptLength(GradientTransform clip, List<Tensor> parameters) {
        float[][] clipped = new float[parameters.size()][];
        boolean[] active = new boolean[parameters.size()];
        List<float[]> sizes = new ArrayList<>();
        double before = 0;
        for (int i = 0; i < clipped.length; i++) {
            Tensor g = parameters.get(i).grad();
            active[i] = g != null;
            clipped[i] = g == null ? new float[0] : g.values().clone();
            sizes.add(clipped[i]);
            if (active[i]) before += DenseVectors.sumOfSquares(clipped[i]);
        }
        if (!(before > 0) || !Double.isFinite(before)) return 1;
        clip.update(clipped, clip.init(sizes), clipped, new StepContext(1, 1, active));
        double after = 0;
        for (int i = 0; i < clipped.length; i++) if (active[i]) after += DenseVectors.sumOfSquares(clipped[i]);
        return Math.min(1, Math.sqrt(after / before));
    }
}
