package dev.ravine.app.run;

import dev.ravine.app.config.LossConfig;
import dev.ravine.app.config.RunConfig;
import dev.ravine.data.Dataset;
import dev.ravine.nn.loss.Reduction;

/**
 * The lowest training loss the config's loss allows on the training data, whatever the model: what "the loss stayed
 * high" and "cannot overfit" must be judged from, rather than from zero. Cross-entropy with label smoothing eps keeps
 * every row above its smoothed target's entropy (K classes, no weights: -(1-eps+eps/K) ln(1-eps+eps/K) -
 * (K-1)(eps/K) ln(eps/K), 0.87 for eps 0.2 and ten classes); bce_with_logits on soft targets (strictly between 0 and 1)
 * keeps every output above their binary entropy. 0 for the other losses and for hard targets, where a perfect fit
 * reaches 0, and for {@code reduction: sum}, whose per-step loss scales with the batch (no floor is claimed).
 */
final class LossFloor {
    private LossFloor() {}

    static double of(RunConfig config, Dataset train, int outputs) {
        LossConfig loss = config.lossOptions() == null ? null : config.lossOptions().resolved(train);
        if (loss == null || loss.reduction() != Reduction.MEAN) return 0;
        if ("cross_entropy".equals(loss.name()) && train.isClassification() && loss.labelSmoothing() > 0) {
            return smoothed(train.classCounts(), Math.max(outputs, train.numClasses()), loss.labelSmoothing(), loss.weight());
        }
        if ("bce_with_logits".equals(loss.name()) && !train.isClassification()) {
            return binary(train.targets(), train.targetSize(), loss.posWeight());
        }
        return 0;
    }

    /**
     * The smoothed cross-entropy's floor: torch's loss of a row of class y is [(1-eps) w_y (-ln q_y) + (eps/K) sum_c w_c
     * (-ln q_c)] / W (W the batch's sum of w_y), least at q_c = a_c / A for the target masses a_y = (1-eps+eps/K) w_y and
     * a_c = (eps/K) w_c, where it is -sum_c a_c ln(a_c / A); the floor is the rows' sum over the sum of their w_y.
     *
     * @param weight class weights, or null for all 1
     */
    static double smoothed(int[] counts, int classes, double eps, float[] weight) {
        double total = 0, weightSum = 0;
        for (int y = 0; y < counts.length; y++) {
            if (counts[y] == 0) continue;
            double[] a = rowMasses(y, classes, eps, weight);
            double mass = java.util.Arrays.stream(a).sum();
            double row = 0;
            for (double ac : a) if (ac > 0) row -= ac * Math.log(ac / mass);
            total += counts[y] * row;
            weightSum += counts[y] * w(weight, y);
        }
        return weightSum > 0 ? total / weightSum : 0;
    }

    /**
     * bce_with_logits's floor: per output, -[p t ln s + (1-t) ln(1-s)] (p its pos_weight) is least at s = p t / (p t +
     * 1 - t), the entropy of the masses p t and 1 - t; averaged over every output of every sample, as the mean is.
     */
    static double binary(float[] targets, int width, float[] posWeight) {
        if (targets.length == 0) return 0;
        double sum = 0;
        for (int i = 0; i < targets.length; i++) {
            double t = targets[i];
            if (!(t > 0 && t < 1)) continue; // a hard (or out-of-range) target: a confident output reaches 0 there
            double p = posWeight == null ? 1 : posWeight[posWeight.length == 1 ? 0 : i % Math.max(1, width)];
            double a = p * t, b = 1 - t, m = a + b;
            if (a > 0) sum -= a * Math.log(a / m);
            sum -= b * Math.log(b / m);
        }
        return sum / targets.length;
    }

    /** The target masses a row of class y puts on each class: (1-eps+eps/K) w_y on its own, (eps/K) w_c on the others. */
    static double[] rowMasses(int y, int classes, double eps, float[] weight) {
        double[] a = new double[classes];
        for (int c = 0; c < classes; c++) a[c] = (eps / classes + (c == y ? 1 - eps : 0)) * w(weight, c);
        return a;
    }

    static double w(float[] weight, int c) {
        return weight == null ? 1 : c < weight.length ? weight[c] : 0;
    }
}
