package dev.ravine.app.config;

import dev.ravine.pretrain.RbmOptions;
import dev.ravine.pretrain.VisibleUnits;
import java.util.List;

/**
 * {@code pretrain: {method: rbm, cd_k: 1, persistent: false, epochs: 5, lr: 0.05, momentum: 0.5, weight_decay: 0,
 * batch_size: 64, visible: bernoulli}}: before fine-tuning, every linear -> sigmoid block of the model is pre-trained
 * in order as a restricted Boltzmann machine by contrastive divergence (see {@code dev.ravine.pretrain}).
 *
 * @param visible the first RBM's visible units: bernoulli for inputs in [0, 1] (normalize: scale01), gaussian for
 *                standardized inputs (normalize: standardize)
 * @param origin  where the section was written, for errors about the model it does not fit
 */
public record PretrainConfig(String method, int cdK, boolean persistent, int epochs, double lr, double momentum,
                             double weightDecay, int batchSize, VisibleUnits visible, Origin origin) {
    static final List<String> KEYS = List.of("method", "cd_k", "persistent", "epochs", "lr", "momentum", "weight_decay",
            "batch_size", "visible");
    static final List<String> METHODS = List.of("rbm");

    public RbmOptions options() {
        return new RbmOptions(cdK, persistent, epochs, lr, momentum, weightDecay, batchSize);
    }

    /** The {@code pretrain} section, or null when the config has none. */
    static PretrainConfig read(Section top) {
        if (!top.has("pretrain")) return null;
        Section s = top.section("pretrain");
        if (s == null) return null;
        s.allowOnly(KEYS);
        RbmOptions d = RbmOptions.defaults();
        String method = null;
        if (!s.has("method")) s.missing("method", "the pre-training method: " + String.join(", ", METHODS) + ", e.g. 'pretrain: {method: rbm}'");
        else method = s.choice("method", null, METHODS, "pre-training method");
        int cdK = s.integer("cd_k", d.cdK(), 1);
        boolean persistent = s.bool("persistent", d.persistent());
        int epochs = s.integer("epochs", d.epochs(), 1);
        double lr = s.number("lr", d.lr(), v -> v > 0, "a learning rate > 0");
        double momentum = s.number("momentum", d.momentum(), v -> v >= 0 && v < 1, "a number in [0, 1)");
        double weightDecay = s.number("weight_decay", d.weightDecay(), v -> v >= 0, "a number >= 0");
        int batchSize = s.integer("batch_size", d.batchSize(), 1);
        String visible = s.choice("visible", VisibleUnits.BERNOULLI.configName(), VisibleUnits.configNames(), "visible unit kind");
        if (method == null) return null;
        return new PretrainConfig(method, cdK, persistent, epochs, lr, momentum, weightDecay, batchSize,
                VisibleUnits.parse(visible), s.origin());
    }

    String yaml() {
        return "pretrain: {method: " + method + ", cd_k: " + cdK + ", persistent: " + persistent + ", epochs: " + epochs
                + ", lr: " + ConfigWriter.number(lr) + ", momentum: " + ConfigWriter.number(momentum) + ", weight_decay: "
                + ConfigWriter.number(weightDecay) + ", batch_size: " + batchSize + ", visible: " + visible.configName() + "}\n";
    }
}
