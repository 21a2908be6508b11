package dev.ravine.app.run;

import dev.ravine.app.TextFormat;
import dev.ravine.app.build.BuiltModel;
import dev.ravine.app.build.RunData;
import dev.ravine.app.config.PretrainConfig;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.store.RunStore;
import dev.ravine.data.Dataset;
import dev.ravine.pretrain.GreedyPretraining;
import dev.ravine.tensor.Rng;
import java.io.PrintWriter;
import java.util.List;

/**
 * The {@code pretrain} step of a run: greedy RBM pre-training of the model's linear -> sigmoid blocks
 * ({@link GreedyPretraining}) before the trainer fine-tunes the whole net, with a progress line per RBM epoch and
 * each epoch's figures in the run database.
 */
final class Pretraining {
    private Pretraining() {}

    /**
     * Pre-trains the blocks on the training inputs (the validation inputs, if any, as the held-out set of the
     * free-energy comparison). Its draws come from a generator of its own, seeded from the run's seed, so the
     * model's initial weights and the training draws are those of the same config without {@code pretrain}.
     */
    static void run(RunConfig config, BuiltModel model, RunData data, RunStore store, PrintWriter out) {
        PretrainConfig p = config.pretrain();
        if (p == null) return;
        Dataset train = data.train(), held = data.validation();
        int blocks = GreedyPretraining.blocks(model.network(), p.visible()).size();
        out.println("pretrain: " + blocks + " RBM" + (blocks == 1 ? "" : "s") + " by " + (p.persistent() ? "persistent " : "")
                + "CD-" + p.cdK() + ", " + p.epochs() + " epoch" + (p.epochs() == 1 ? "" : "s") + " each, on "
                + TextFormat.count(train.size()) + " samples");
        out.flush();
        GreedyPretraining.Listener listener = (number, block, e) -> {
            String layer = Integer.toString(block.index());
            int[] w = block.linear().weight().shape();
            out.println("pretrain: rbm " + (number + 1) + "/" + blocks + " (layer " + layer + ", " + w[1] + "x" + w[0] + " "
                    + block.units().configName() + ") epoch " + e.epoch() + "/" + p.epochs() + ": reconstruction error "
                    + TextFormat.fixed(e.reconstructionError(), 5) + ", free energy train " + TextFormat.fixed(e.trainFreeEnergy(), 2)
                    + (Double.isNaN(e.heldOutFreeEnergy()) ? "" : " validation " + TextFormat.fixed(e.heldOutFreeEnergy(), 2))
                    + " (" + TextFormat.duration(e.seconds()) + ")");
            out.flush();
            store.putPretrainEpoch(layer, e);
        };
        GreedyPretraining.pretrain(model.network(), p.visible(), train.features(), train.size(), train.sampleShape(),
                held == null ? null : held.features(), held == null ? 0 : held.size(), p.options(),
                new Rng(~config.seed()), listener);
    }
}
