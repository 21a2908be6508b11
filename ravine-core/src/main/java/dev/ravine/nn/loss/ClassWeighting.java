package dev.ravine.nn.loss;

import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;

/**
 * torch's options of the class-index losses (nll_loss, cross_entropy): per-class {@code weight}s, an
 * {@code ignoreIndex} whose rows contribute nothing, label smoothing and the reduction. The mean is torch's weighted
 * mean: sum_i w[y_i] l_i / sum_i w[y_i] over the rows not ignored (a plain mean when there are no weights), so a class
 * weight changes the balance between classes but not the loss's scale.
 *
 * @param weight one weight per class, or null for all 1
 */
public record ClassWeighting(float[] weight, int ignoreIndex, double labelSmoothing, Reduction reduction) {
    /** torch's default ignore_index. */
    public static final int DEFAULT_IGNORE_INDEX = -100;
    public static final ClassWeighting NONE = new ClassWeighting(null, DEFAULT_IGNORE_INDEX, 0, Reduction.MEAN);

    public ClassWeighting {
        if (weight != null) {
            weight = weight.clone();
            for (int c = 0; c < weight.length; c++) {
                if (!(weight[c] >= 0) || !Float.isFinite(weight[c])) {
                    throw new IllegalArgumentException("class weight[" + c + "] must be a finite number >= 0, got " + weight[c]);
                }
            }
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label_smoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (reduction == null) throw new IllegalArgumentException("reduction must be mean, sum or none");
    }

    /** Whether these are torch's defaults (the fused cross-entropy kernel computes exactly that case). */
    boolean isDefault(int[] targets) {
        if (weight != null || labelSmoothing != 0 || reduction != Reduction.MEAN || ignoreIndex != DEFAULT_IGNORE_INDEX) return false;
        for (int t : targets) if (t == ignoreIndex) return false;
        return true;
    }

    /**
     * The loss of log-probabilities [n, classes]: (1 - eps) nll + eps / classes * smooth, where smooth_i =
     * -sum_c w[c] logp[i, c], as torch's cross_entropy with label_smoothing eps (nll_loss is eps = 0).
     */
    Tensor negativeLogLikelihood(Tensor logProbs, int[] targets, double smoothing) {
        if (logProbs.dim() != 2) {
            throw new TensorShapeException("expects log-probabilities [batch, classes], got " + Shape.str(logProbs.shape()));
        }
        int n = logProbs.size(0), classes = logProbs.size(1);
        if (targets.length != n) throw new TensorShapeException("got " + targets.length + " targets for a batch of " + n);
        if (weight != null && weight.length != classes) {
            throw new IllegalArgumentException("weight has " + weight.length + " values but there are " + classes + " classes; give one per class");
        }
        float[] rowWeight = new float[n], kept = new float[n];
        int[] picked = new int[n];
        for (int i = 0; i < n; i++) {
            if (targets[i] == ignoreIndex) continue; // weight 0, and any valid index to pick
            if (targets[i] < 0 || targets[i] >= classes) {
                throw new IllegalArgumentException("target " + targets[i] + " at row " + i + " is not a class index in [0, " + classes
                        + ")" + (ignoreIndex == DEFAULT_IGNORE_INDEX ? "" : " nor the ignore_index " + ignoreIndex));
            }
            picked[i] = targets[i];
            rowWeight[i] = weight == null ? 1f : weight[targets[i]];
            kept[i] = 1f;
        }
        Tensor rows = Tensor.of(rowWeight, n);
        Tensor nll = Functional.pickPerRow(logProbs, picked).mul(rows).neg();
        double weightSum = 0;
        for (float w : rowWeight) weightSum += w;
        Tensor nllReduced = reduce(nll, weightSum, n);
        if (smoothing == 0) return nllReduced;
        Tensor weighted = weight == null ? logProbs : logProbs.mul(Tensor.of(weight, 1, classes));
        Tensor smooth = weighted.sum(1, false).neg().mul(Tensor.of(kept, n));
        Tensor smoothReduced = reduce(smooth, weight == null ? keptCount(kept) : weightSum, n);
        return nllReduced.mul((float) (1 - smoothing)).add(smoothReduced.mul((float) (smoothing / classes)));
    }

    private static int keptCount(float[] kept) {
        int k = 0;
        for (float v : kept) if (v != 0) k++;
        return k;
    }

    private Tensor reduce(Tensor perRow, double divisor, int n) {
        return switch (reduction) {
            case NONE -> perRow;
            case SUM -> perRow.sum();
            case MEAN -> perRow.sum().div((float) divisor);
        };
    }
}
