package dev.ravine.nn.loss;

import dev.ravine.tensor.Tensor;
import java.util.List;

/** A scalar training objective of (model output, target), averaged over the batch ('mean' reduction). */
public interface Loss {
    Tensor compute(Tensor output, Tensor target);

    /** The config name ("cross_entropy", ...). */
    String name();

    /** Whether targets are class indices (and accuracy is meaningful). */
    default boolean isClassification() {
        return false;
    }

    List<String> NAMES = List.of("cross_entropy", "nll", "mse", "bce_with_logits", "huber");

    static Loss byName(String name) {
        return switch (name) {
            case "cross_entropy" -> new CrossEntropyLoss();
            case "nll" -> new NllLoss();
            case "mse" -> new MseLoss();
            case "bce_with_logits" -> new BceWithLogitsLoss();
            case "huber" -> new HuberLoss(1.0);
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'; valid: " + String.join(", ", NAMES));
        };
    }

    /** Class indices stored in a float tensor of shape [n], as int[]; rejects non-integers. */
    static int[] classIndices(Tensor target) {
        float[] v = target.values();
        int[] idx = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = (int) v[i];
            if (idx[i] != v[i]) throw new IllegalArgumentException("target " + v[i] + " at row " + i + " is not a class index");
        }
        return idx;
    }
}
