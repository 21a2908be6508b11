package dev.ravine.train;

import dev.ravine.schedule.ReduceOnPlateau;
import java.util.List;

/**
 * Feeds a {@link ReduceOnPlateau} the monitored metric at every epoch end, as torch's {@code scheduler.step(val_loss)}
 * after validation: monitor val_loss (the training loss when there is no validation set), train_loss or
 * val_accuracy. Epoch ends come before the epoch's checkpoint is written, so the checkpoint holds the updated state.
 * It lives with the trainer (the schedule package knows nothing of training), the monitors with the schedule.
 */
public record PlateauListener(ReduceOnPlateau schedule, String monitor) implements TrainingListener {
    public static final List<String> MONITORS = ReduceOnPlateau.MONITORS;

    public PlateauListener {
        if (!MONITORS.contains(monitor)) throw new IllegalArgumentException("unknown monitor '" + monitor + "'; valid: " + String.join(", ", MONITORS));
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochEvent event) {
        double metric = switch (monitor) {
            case "train_loss" -> event.trainLoss();
            case "val_accuracy" -> event.valAccuracy();
            default -> Double.isNaN(event.valLoss()) ? event.trainLoss() : event.valLoss();
        };
        if (!Double.isNaN(metric)) schedule.observe(metric);
    }
}
