package dev.ravine.app.config;

import dev.ravine.train.EarlyStopping;
import java.util.List;

/**
 * {@code training.early_stopping: {monitor: val_loss, mode: min, patience: 3, min_delta: 0, restore_best: true}};
 * mode defaults to max for accuracies and min otherwise. See {@link EarlyStopping}.
 */
public record EarlyStoppingConfig(String monitor, String mode, int patience, double minDelta, boolean restoreBest) {
    static final List<String> KEYS = List.of("monitor", "mode", "patience", "min_delta", "restore_best");

    static EarlyStoppingConfig read(Section s) {
        s.allowOnly(KEYS);
        String monitor = s.choice("monitor", "val_loss", EarlyStopping.METRICS, "metric");
        String mode = s.choice("mode", EarlyStopping.defaultMode(monitor) == EarlyStopping.Mode.MAX ? "max" : "min", List.of("min", "max"), "mode");
        int patience = s.integer("patience", 3, 1);
        double minDelta = s.number("min_delta", 0.0, v -> v >= 0, "a number >= 0");
        boolean restore = s.bool("restore_best", true);
        return new EarlyStoppingConfig(monitor, mode, patience, minDelta, restore);
    }

    String yaml() {
        return "  early_stopping: {monitor: " + monitor + ", mode: " + mode + ", patience: " + patience + ", min_delta: "
                + ConfigWriter.number(minDelta) + ", restore_best: " + restoreBest + "}\n";
    }
}
