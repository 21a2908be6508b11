package dev.ravine.app.build;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.LayerConfig;
import dev.ravine.nn.WeightForm;

/** The {@link WeightForm} a linear or conv2d layer's options ask for: {@code weight_norm: true}, {@code spectral_norm: true}. */
final class WeightForms {
    private WeightForms() {}

    static WeightForm of(LayerConfig c) {
        boolean weightNorm = c.flag("weight_norm"), spectralNorm = c.flag("spectral_norm");
        if (weightNorm && spectralNorm) {
            throw new ConfigException(c.path() + " (" + c.kind().id() + "): weight_norm and spectral_norm are both true; a layer's "
                    + "weight takes one reparametrization, so set one of them to false (" + c.origin().describe() + ")");
        }
        return weightNorm ? WeightForm.WEIGHT_NORM : spectralNorm ? WeightForm.SPECTRAL_NORM : WeightForm.PLAIN;
    }
}
