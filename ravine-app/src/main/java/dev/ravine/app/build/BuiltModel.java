package dev.ravine.app.build;

import dev.ravine.app.config.LayerConfig;
import dev.ravine.nn.Sequential;
import java.util.List;

/**
 * A network built from {@code model.layers}, with the layers as resolved (inferred sizes filled in), a summary row
 * per module, and the shapes of one sample in and out.
 */
public record BuiltModel(Sequential network, List<LayerConfig> resolvedLayers, List<LayerSummary> summary, int[] inputShape,
                         int[] outputShape) {

    public long parameterCount() {
        return network.parameterCount();
    }
}
