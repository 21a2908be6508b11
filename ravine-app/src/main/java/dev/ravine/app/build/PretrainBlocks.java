package dev.ravine.app.build;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.LayerConfig;
import dev.ravine.app.config.PretrainConfig;
import dev.ravine.app.config.RunConfig;
import dev.ravine.pretrain.GreedyPretraining;
import java.util.List;

/** The model's side of {@code pretrain}: the linear -> sigmoid blocks RBM pre-training needs, checked at build time. */
public final class PretrainBlocks {
    private PretrainBlocks() {}

    /** Fails (before any run folder exists) when the config asks for pre-training that the model cannot take. */
    public static void require(RunConfig config, BuiltModel model) {
        PretrainConfig p = config.pretrain();
        if (p == null) return;
        List<GreedyPretraining.Block> blocks = GreedyPretraining.blocks(model.network(), p.visible());
        if (blocks.isEmpty()) {
            throw new ConfigException("pretrain: method " + p.method() + " pre-trains each linear layer followed by a sigmoid, "
                    + "but model.layers has none (" + p.origin().describe() + "); put a sigmoid after the hidden linear layers, "
                    + "e.g. [flatten, {linear: {out: 256}}, sigmoid, {linear: {out: 10}}], or remove pretrain");
        }
        for (GreedyPretraining.Block b : blocks) {
            LayerConfig layer = model.resolvedLayers().get(b.index());
            if (b.linear().bias() == null) {
                throw new ConfigException(layer.path() + " (linear): pretrain copies the RBM's hidden biases into this layer, "
                        + "but it has bias: false (" + layer.origin().describe() + "); remove 'bias: false' or pretrain");
            }
            for (String form : List.of("weight_norm", "spectral_norm")) {
                if (layer.flag(form)) {
                    throw new ConfigException(layer.path() + " (linear): pretrain copies the RBM's weights into this layer, but "
                            + "with " + form + " its weight is computed from other parameters (" + layer.origin().describe()
                            + "); remove '" + form + ": true' or pretrain");
                }
            }
        }
    }
}
