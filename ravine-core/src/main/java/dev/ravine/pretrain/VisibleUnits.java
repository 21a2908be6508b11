package dev.ravine.pretrain;

import java.util.Arrays;
import java.util.List;

/**
 * The kind of an RBM's visible units. Hidden units are always binary (Bernoulli).
 *
 * <ul>
 *   <li>{@code BERNOULLI}: binary units, p(v_i = 1 | h) = sigmoid(b_i + sum_j W_ij h_j); inputs in [0, 1] are read as
 *       probabilities (MNIST pixels scaled to [0, 1]).</li>
 *   <li>{@code GAUSSIAN}: real units of unit variance, v_i | h ~ N(b_i + sum_j W_ij h_j, 1), for standardized real
 *       inputs (Hinton, "A practical guide to training RBMs", 2010, section 13.2).</li>
 * </ul>
 */
public enum VisibleUnits {
    BERNOULLI, GAUSSIAN;

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static List<String> configNames() {
        return Arrays.stream(values()).map(VisibleUnits::configName).toList();
    }

    /** The kind named {@code name} ("bernoulli" or "gaussian"), or null. */
    public static VisibleUnits parse(String name) {
        for (VisibleUnits u : values()) if (u.configName().equals(name)) return u;
        return null;
    }
}
