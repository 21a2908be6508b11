package dev.ravine.app.config;

import java.util.List;

/**
 * The {@code model} section.
 *
 * @param input  the shape of one sample (without the batch axis), or null to take it from the training data
 * @param layers the layers, applied in order
 */
public record ModelConfig(int[] input, List<LayerConfig> layers, Origin origin) {
    public ModelConfig {
        input = input == null ? null : input.clone();
        layers = List.copyOf(layers);
    }

    @Override
    public int[] input() {
        return input == null ? null : input.clone();
    }

    /** Whether the inputs are token ids: the model has an embedding layer (so they are neither normalized nor judged by their scale). */
    public boolean readsTokenIds() {
        return layers.stream().anyMatch(l -> l.kind() == LayerKind.EMBEDDING);
    }

    public ModelConfig with(int[] resolvedInput, List<LayerConfig> resolvedLayers) {
        return new ModelConfig(resolvedInput, resolvedLayers, origin);
    }
}
