package dev.ravine.nn;

import java.util.Locale;

/**
 * How a {@link Linear} or {@link Conv2d} layer obtains the weight it applies from what it stores and trains.
 * <ul>
 *   <li>{@link #PLAIN}: the weight is the trained parameter {@code weight};</li>
 *   <li>{@link #WEIGHT_NORM}: {@code w = g * v / ||v||} per output unit (Salimans and Kingma, 2016), trained
 *       parameters {@code weight_g} and {@code weight_v}, as torch.nn.utils.weight_norm(dim=0);</li>
 *   <li>{@link #SPECTRAL_NORM}: {@code w = weight_orig / sigma(weight_orig)} with the largest singular value sigma
 *       estimated by power iteration (Miyato et al., 2018), as torch.nn.utils.spectral_norm.</li>
 * </ul>
 */
public enum WeightForm {
    PLAIN,
    WEIGHT_NORM,
    SPECTRAL_NORM;

    /** The lower-case name used in configs: plain, weight_norm, spectral_norm. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
