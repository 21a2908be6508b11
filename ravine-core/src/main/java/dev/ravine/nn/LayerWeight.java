package dev.ravine.nn;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * The weight a {@link Linear} or {@link Conv2d} applies, computed at each forward from the parameters (and buffers)
 * it registers on its layer. One subclass per {@link WeightForm}; the layer only asks for {@link #compute}.
 */
abstract class LayerWeight {

    /**
     * Registers the stored form of {@code initial} (the freshly initialized weight) on {@code owner}.
     *
     * @param rng draws the spectral norm's initial power-iteration vectors; unused by the other forms
     */
    static LayerWeight create(WeightForm form, Module owner, Tensor initial, Rng rng) {
        return switch (form) {
            case PLAIN -> new Plain(owner.registerParameter("weight", initial));
            case WEIGHT_NORM -> new WeightNorm(owner, initial);
            case SPECTRAL_NORM -> new SpectralNorm(owner, initial, rng);
        };
    }

    /** The weight to apply in this forward; {@code training} is the layer's mode (spectral norm iterates only then). */
    abstract Tensor compute(boolean training);

    abstract WeightForm form();

    /**
     * The trained weight parameter itself, for a {@link WeightForm#PLAIN} weight; a reparametrized weight has no such
     * parameter (writing into a computed weight would be silently lost), so this throws there.
     *
     * @param layer the layer kind for the message ("linear", "conv2d")
     */
    Tensor parameter(String layer, Module owner) {
        if (form() != WeightForm.PLAIN) {
            throw new IllegalStateException("this %s layer's weight is computed by %s from its parameters %s; read it with "
                    .formatted(layer, form().id(), owner.namedParameters().keySet())
                    + "effectiveWeight(), or change those parameters");
        }
        return compute(false);
    }

    /** The plain form: the parameter itself. */
    private static final class Plain extends LayerWeight {
        private final Tensor weight;

        Plain(Tensor weight) {
            this.weight = weight;
        }

        @Override
        Tensor compute(boolean training) {
            return weight;
        }

        @Override
        WeightForm form() {
            return WeightForm.PLAIN;
        }
    }
}
